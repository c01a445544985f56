"""Early routes: a few hot device endpoints answered before URL resolution, ninja and the
session/auth/CSRF middleware (issue 10: election-day writes at 500/s on 2 cores).

Rules:
- An app registers ``(method, path) → handler`` in its ``AppConfig.ready()`` (:func:`register`);
  the path must be the exact path of an existing API operation (``tests/core/test_fastroutes.py``
  resolves every registered path), so the early route never serves a URL the API does not have.
- The handler answers the request exactly as the operation would, or returns None: then the request
  takes the whole stack unchanged (the body is kept, ``request.body``). A handler declines whatever
  it does not own: a cookie (a session, its language, CSRF), another auth scheme, a body that fails
  the operation's schema, an unknown token. A request with cookies (a session, its language, CSRF)
  never reaches a handler.
- :class:`FastRouteMiddleware` sits after the middleware that every response needs (HTTPS redirect
  and security headers, CSP, X-Frame-Options, the language) and before the rest; it adds what the
  rest would (``Content-Length`` as CommonMiddleware, ``Vary: Cookie`` as the session), so an early
  answer carries the same headers as the operation's (``tests/fieldday/test_fastroute.py``).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

Handler = Callable[[HttpRequest], HttpResponse | None]
ROUTES: dict[tuple[str, str], Handler] = {}


def register(method: str, path: str, handler: Handler) -> None:
    """Answer ``method path`` through ``handler`` first (it returns None to pass the request on)."""
    ROUTES[(method.upper(), path)] = handler


class FastRouteMiddleware:
    """Calls the registered handler of ``(method, path)``; without one, or when it declines, the rest."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        handler = ROUTES.get((request.method, request.path_info))
        if handler is not None and not request.META.get("HTTP_COOKIE"):
            request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware checks it (DisallowedHost: 400)
            response = handler(request)
            if response is not None:
                if not response.streaming and not response.has_header("Content-Length"):
                    response.headers["Content-Length"] = str(len(response.content))
                patch_vary_headers(response, ("Cookie",))  # with a cookie, the whole stack answers
                return response
        return self.get_response(request)
