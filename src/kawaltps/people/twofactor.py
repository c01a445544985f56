"""Two-factor authentication (TOTP, django-otp) for the roles that can change or expose the most.

Rule (issue 14 item 4): a user whose role is in ``settings.TWO_FACTOR_ROLES`` (admin, koordinator,
legal by default; superusers always) must confirm a one-time code after the password before any
page, the admin site or the session API answers. Without a confirmed authenticator they are sent
to enrol one (QR code + secret), and get ten single-use recovery codes. API tokens for these roles
need the code too (``POST /api/auth/token`` with ``otp``).

Wrong codes count under the ``otp`` limit of ``core.throttle`` (per account), on top of
django-otp's own growing delay per device.
"""

import base64
import io

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
#: Paths a logged-in user who still owes the code may open.
EXEMPT_PREFIXES = ("/akun/2fa/", "/keluar/", "/masuk/", "/static/", "/i18n/", "/health", "/admin/logout/",
                   "/admin/login/", "/favicon")


def requires_2fa(user) -> bool:
    """True if ``user`` must pass a second factor (role in ``TWO_FACTOR_ROLES``, or a superuser)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.role in settings.TWO_FACTOR_ROLES


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def is_verified(request) -> bool:
    user = request.user
    return bool(getattr(user, "is_verified", lambda: False)())


def safe_next(request, fallback: str = "/") -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or fallback
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return fallback
    return target


class TwoFactorMiddleware:
    """After ``django_otp.middleware.OTPMiddleware``: sends a 2FA user without a confirmed code to
    the verification (or enrolment) page; the session API answers 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and requires_2fa(user) and not is_verified(request)
                and not request.path.startswith(EXEMPT_PREFIXES)):
            if request.path.startswith("/api/"):
                if request.headers.get("Authorization", "").lower().startswith("bearer "):
                    return self.get_response(request)  # a token: issued only after the code
                return JsonResponse({"detail": _("Verifikasi dua langkah diperlukan: buka /akun/2fa/.")},
                                    status=403)
            name = "people:otp_verify" if confirmed_device(user) else "people:otp_enrol"
            return redirect(f"{reverse(name)}?{REDIRECT_FIELD_NAME}={request.get_full_path()}")
        return self.get_response(request)


def check_code(request, user, code: str) -> bool:
    """Verify a TOTP or recovery code for ``user`` under the ``otp`` limit; on success remember the
    device in the session (``django_otp.login``). Raises ``throttle.Throttled`` past the limit."""
    from django_otp import login as otp_login

    from kawaltps.core import throttle

    throttle.check("otp", request, account=user.username)
    device = match_token(user, "".join((code or "").split()))
    if device is None:
        throttle.hit("otp", request, account=user.username)
        return False
    if request is not None and hasattr(request, "session"):
        otp_login(request, device)
    return True


def code_ok_for_token(request, user, code: str) -> bool:
    """For ``POST /api/auth/token``: True when ``user`` needs no code or ``code`` is right."""
    if not requires_2fa(user):
        return True
    from kawaltps.core import throttle

    throttle.check("otp", request, account=user.username)
    if match_token(user, "".join((code or "").split())) is None:
        throttle.hit("otp", request, account=user.username)
        return False
    return True


def start_enrolment(user) -> TOTPDevice:
    """The user's unconfirmed authenticator (made on first call; a confirmed one is never replaced here)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_svg_data_uri(device: TOTPDevice) -> str:
    """The ``otpauth://`` URL of ``device`` as an SVG QR code in a ``data:`` URI (CSP allows data: images)."""
    import segno

    buf = io.BytesIO()
    segno.make(device.config_url, error="m").save(buf, kind="svg", scale=5, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with :data:`RECOVERY_CODES` new single-use ones."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="recovery", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def confirm_enrolment(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm ``device`` if ``code`` is its current code: returns new recovery codes, or None."""
    from kawaltps.core import throttle

    throttle.check("otp", request, account=device.user.username)
    if not device.verify_token("".join((code or "").split())):
        throttle.hit("otp", request, account=device.user.username)
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    from django_otp import login as otp_login

    otp_login(request, device)
    return new_recovery_codes(device.user)
