"""Signed, time-limited attendance codes (django.core.signing.TimestampSigner).

Two codes, each valid for ``MAX_AGE`` (15 minutes) and bound to what it names by the signature:

- the **session code**, shown as a rotating QR by the trainer, scanned by a volunteer with their
  phone (``s<session id>``);
- the **volunteer code**, shown as a QR on the volunteer's phone, scanned by the trainer
  (``v<volunteer id>``).

Each has its own salt, so one kind can never be passed off as the other; a tampered or expired
code is refused with a reason in Indonesian.
"""

from datetime import timedelta

from django.core import signing
from django.utils.translation import gettext

MAX_AGE = timedelta(minutes=15)
SESSION_SALT = "kawaltps.training.session-attendance"
VOLUNTEER_SALT = "kawaltps.training.volunteer-card"


class TokenError(ValueError):
    """A code that cannot be used; the message says why, in Indonesian."""


class _Signer(signing.TimestampSigner):
    def __init__(self, salt: str, at: float | None = None):
        super().__init__(salt=salt)
        self._at = at

    def timestamp(self):
        if self._at is None:
            return super().timestamp()
        return signing.b62_encode(int(self._at))


def _make(salt: str, value: str, at: float | None) -> str:
    return _Signer(salt, at).sign(value)


def _read(salt: str, token: str, prefix: str) -> int:
    token = (token or "").strip()
    if "?t=" in token:  # a pasted URL from the QR
        token = token.split("?t=", 1)[1].split("&", 1)[0]
    if not token:
        raise TokenError(gettext("Kode kosong. Pindai atau tempel kode QR."))
    try:
        value = _Signer(salt).unsign(token, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise TokenError(gettext("Kode sudah kedaluwarsa (berlaku 15 menit). Minta kode yang baru.")) from None
    except signing.BadSignature:
        raise TokenError(gettext("Kode tidak sah atau bukan kode kehadiran yang benar.")) from None
    if not value.startswith(prefix) or not value[1:].isdigit():
        raise TokenError(gettext("Kode tidak sah atau bukan kode kehadiran yang benar."))
    return int(value[1:])


def session_token(session_id: int, at: float | None = None) -> str:
    """The session's attendance code at time ``at`` (Unix seconds; now by default)."""
    return _make(SESSION_SALT, f"s{session_id}", at)


def volunteer_token(volunteer_id: int, at: float | None = None) -> str:
    """A volunteer's personal attendance code at time ``at``."""
    return _make(VOLUNTEER_SALT, f"v{volunteer_id}", at)


def read_session_token(token: str) -> int:
    """The session id in a valid, unexpired session code; else TokenError."""
    return _read(SESSION_SALT, token, "s")


def read_volunteer_token(token: str) -> int:
    """The volunteer id in a valid, unexpired volunteer code; else TokenError."""
    return _read(VOLUNTEER_SALT, token, "v")
