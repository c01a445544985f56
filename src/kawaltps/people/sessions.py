"""Sessions that end on a shared phone (issue 14 item 4).

A session idle for ``settings.SESSION_IDLE_MINUTES`` (default 30) is logged out at its next request,
which goes to the login page with a message; it ends anyway after ``SESSION_COOKIE_AGE`` (12 h) and
when the browser closes. The last-seen time is written at most once a minute, so busy pages do not
save the session on every request.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.utils.translation import gettext as _

LAST_SEEN = "kawaltps_last_seen"
WRITE_EVERY = 60  # seconds


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            if last is not None and now - int(last) > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                text = _("Sesi Anda berakhir karena tidak dipakai selama %(n)d menit. Silakan masuk lagi.") % {
                    "n": settings.SESSION_IDLE_MINUTES}
                if request.path.startswith("/api/") or request.path.endswith(".json"):
                    return JsonResponse({"detail": text}, status=401)
                messages.info(request, text)
                return redirect_to_login(request.get_full_path())
            if last is None or now - int(last) >= WRITE_EVERY:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
