"""A logging filter that blanks NIKs and Indonesian mobile numbers in log messages (UU PDP).

The volunteer code never logs personal data in the first place; this filter is the second line of
defence for messages from elsewhere (a library echoing a form value, an exception text). The app
attaches it to the root logger's handlers at startup; a deployment that configures its own
handlers adds ``kawaltps.volunteers.logfilter.PersonalDataFilter`` to them in ``LOGGING``.
"""

import logging
import re

_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
_PHONE = re.compile(r"(?<![\d+])(?:\+?62|0)[\s\-.]?8\d(?:[\s\-.]?\d){6,10}(?!\d)")


def redact(text: str) -> str:
    return _PHONE.sub("[telepon]", _NIK.sub("[NIK]", text))


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


def install() -> None:
    """Attach the filter to the root logger's handlers (idempotent)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
            handler.addFilter(PersonalDataFilter())
