"""API authentication: bearer tokens for devices, the session (with CSRF) for the browser."""

from django.utils.translation import gettext
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth

from kawaltps.people.models import ApiToken


class BearerKey(str):
    """A bearer key taken but not checked yet (``TokenAuth(defer=True)``)."""


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ktps_…`` — a key from ``kawaltps create-token`` or ``POST /api/auth/token``.

    Tokens expire (``settings.API_TOKEN_DAYS``); an expired one is refused with a 401 that says so.

    ``defer=True`` (the device fast paths, ``fieldday.fastpath``) takes the key without reading it, so
    the fast path reads the token with the request's data in one query. Such a view answers through
    the fast path or calls :func:`resolve` first; a body that fails the schema is answered only after
    :func:`resolve` too (``api.validation_error``): a bad token is a 401 whatever the body, as before.
    """

    def __init__(self, defer: bool = False):
        super().__init__()
        self.defer = defer

    def authenticate(self, request, token: str):
        if self.defer:
            return BearerKey(token) if token else None
        user = ApiToken.authenticate(token)
        if user is None:
            found = ApiToken.lookup(token)
            if found is not None and found.expired():
                raise HttpError(401, gettext("Token sudah kedaluwarsa. Minta token baru: masuk lagi "
                                             "(POST /api/auth/token) atau hubungi admin."))
        if user is not None:
            request.user = user
        return user


session_auth = SessionAuth(csrf=True)
token_auth = TokenAuth()
deferred_token_auth = TokenAuth(defer=True)


def resolve(request):
    """For a request taken by ``deferred_token_auth``: the user ``[token_auth, session_auth]`` finds,
    or the response (401) they would have given, as ninja answers its auth callbacks."""
    from .api import api

    for callback in (token_auth, session_auth):
        try:
            user = callback(request)
        except Exception as exc:  # noqa: BLE001  (ninja answers any auth error through the API's handlers)
            return api.on_exception(request, exc)
        if user:
            request.auth = user
            return user
    return api.on_exception(request, AuthenticationError())
