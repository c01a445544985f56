"""Language choice: Indonesian unless the user picked English (the language cookie).

The browser's Accept-Language is ignored on purpose: many saksi phones are set to English, yet
the product's users work in Indonesian; English is one click away in the header.
"""

from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if lang not in self.supported:
            lang = settings.LANGUAGE_CODE
        before = translation.get_language()
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        try:
            response = self.get_response(request)
        finally:  # the thread's language does not outlive the request (the next one, a job, a test)
            if before:
                translation.activate(before)
            else:
                translation.deactivate()
        response.headers.setdefault("Content-Language", lang)
        return response


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy on every response (``settings.CONTENT_SECURITY_POLICY``).

    Scripts, styles, fonts, images and connections come from this site only; no inline script runs
    (every page's JavaScript is a static file). Inline ``style`` *attributes* stay allowed
    (``style-src-attr``): bar widths are data, and a style attribute cannot run code.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


class ThrottleMiddleware:
    """Turns :class:`kawaltps.core.throttle.Throttled` from any view (or ``authenticate``) into a 429 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from .throttle import Throttled

        if not isinstance(exception, Throttled):
            return None
        response = render(request, "core/throttled.html", {"message": exception.message}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response
