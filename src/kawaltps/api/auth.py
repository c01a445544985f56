"""API authentication: bearer tokens for devices, the session (with CSRF) for the browser."""

from django.utils.translation import gettext
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from kawaltps.people.models import ApiToken


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ktps_…`` — a key from ``kawaltps create-token`` or ``POST /api/auth/token``.

    Tokens expire (``settings.API_TOKEN_DAYS``); an expired one is refused with a 401 that says so.
    """

    def authenticate(self, request, token: str):
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
