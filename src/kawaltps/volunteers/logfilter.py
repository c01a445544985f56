"""Blank NIKs and Indonesian mobile numbers in every log line, tracebacks included (UU PDP).

The volunteer code never logs personal data in the first place; this filter is the second line of
defence for text from elsewhere: a library echoing a form value, an exception message inside a
traceback (a database error quoting the duplicate NIK), a request line with ``?q=<NIK>``.

It rewrites the whole record before any handler formats it: the message (with its arguments),
the traceback text (``exc_text``, formatted here from ``exc_info`` and then cached on the record,
which every ``logging.Formatter`` reuses) and ``stack_info``. Where it is attached:

- Django: ``settings.LOGGING`` puts it on the console handler of the root logger and of
  ``django.server`` (runserver's request lines); :func:`install` adds it to any other root handler.
- gunicorn (``kawaltps demo`` and production): ``--logger-class
  kawaltps.volunteers.logfilter.GunicornLogger`` puts it on gunicorn's error and access logs, and
  :data:`GUNICORN_ACCESS_FORMAT` leaves query strings and referers out of the access log entirely
  (a name searched for is personal data too).
"""

import logging
import re

_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
_PHONE = re.compile(r"(?<![\d+])(?:\+?62|0)[\s\-.]?8\d(?:[\s\-.]?\d){6,10}(?!\d)")
_FORMATTER = logging.Formatter()

# gunicorn's access-log line without the query string (%(U)s is the path only) and without the
# referer (which carries the previous page's query string).
GUNICORN_ACCESS_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'


def redact(text: str) -> str:
    """``text`` with every NIK replaced by ``[NIK]`` and every mobile number by ``[telepon]``."""
    return _PHONE.sub("[telepon]", _NIK.sub("[NIK]", text))


class PersonalDataFilter(logging.Filter):
    """Redacts the message, the traceback and the stack of each record (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        clean = redact(message)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = _FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def install() -> None:
    """Attach the filter to the root logger's handlers (idempotent)."""
    _attach(logging.getLogger())


def _attach(logger: logging.Logger) -> None:
    for handler in logger.handlers:
        if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
            handler.addFilter(PersonalDataFilter())


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - gunicorn is a dependency, but the filter must not need it
    _GunicornLogger = None

if _GunicornLogger is not None:
    class GunicornLogger(_GunicornLogger):
        """gunicorn's logger with :class:`PersonalDataFilter` on its error and access logs."""

        def setup(self, cfg):
            super().setup(cfg)
            _attach(self.error_log)
            _attach(self.access_log)
