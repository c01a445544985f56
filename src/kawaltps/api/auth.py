"""API authentication: bearer tokens for devices, the session (with CSRF) for the browser."""

from ninja.security import HttpBearer, SessionAuth

from kawaltps.people.models import ApiToken


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ktps_…`` — a key from ``kawaltps create-token`` or ``POST /api/auth/token``."""

    def authenticate(self, request, token: str):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


session_auth = SessionAuth(csrf=True)
token_auth = TokenAuth()
