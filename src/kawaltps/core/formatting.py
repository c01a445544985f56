"""The one way numbers, dates, times and paslon are shown to people (pages, PDFs, CSV headers, CLI).

Rules (issue 13.3; the users read Indonesian conventions, whatever language the page is in):

- a count is grouped with dots: ``14835`` → ``14.835`` (also on English pages: one format);
- a fraction has a decimal comma: ``45.25`` → ``45,3`` (``percent`` adds ``%``);
- every moment is shown in Jakarta time with its zone: ``27-11-2024 14.05 WIB``; a date alone is
  ``27-11-2024``; the time of day alone ``14.05.09 WIB``;
- a candidate pair is ``Paslon 01`` (two digits, as on the ballot and the C.Hasil);
- nothing (``None``) is ``–``.

Templates use the filters of ``core/templatetags/kawal.py`` (``angka``, ``desimal``, ``persen``,
``waktu``, ``tanggal``, ``jam``, ``paslon``), which call these functions.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

WIB = ZoneInfo("Asia/Jakarta")
NOTHING = "–"


def number(value: object) -> str:
    """``14835`` → ``14.835``; ``-12`` → ``-12``; text that is not a number is returned as it is."""
    if value is None or value == "":
        return NOTHING
    try:
        n = int(value)
    except (TypeError, ValueError):
        return str(value)
    if isinstance(value, float) and value != n:
        return decimal(value)
    return f"{n:,}".replace(",", ".")


def decimal(value: object, places: int = 1) -> str:
    """``45.25`` → ``45,3`` (``places`` digits after the decimal comma, thousands with dots)."""
    if value is None or value == "":
        return NOTHING
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    text = f"{x:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent(value: object, places: int = 1) -> str:
    """``45.25`` → ``45,3%`` (the value is already in percent)."""
    text = decimal(value, places)
    return text if text == NOTHING else f"{text}%"


def _local(value: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value.astimezone(WIB)


def when(value: datetime.datetime | datetime.date | None) -> str:
    """A moment in WIB: ``27-11-2024 14.05 WIB`` (a plain date: ``27-11-2024``)."""
    if value is None or value == "":
        return NOTHING
    if not isinstance(value, datetime.datetime):
        return day(value)
    return _local(value).strftime("%d-%m-%Y %H.%M") + " WIB"


def day(value: datetime.date | datetime.datetime | None) -> str:
    """A date: ``27-11-2024`` (a moment is first moved to WIB)."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, datetime.datetime):
        value = _local(value)
    return value.strftime("%d-%m-%Y")


MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")


def long_day(value: datetime.date | datetime.datetime | None) -> str:
    """A date as a letter or certificate writes it, always in Indonesian: ``27 November 2024``
    (a moment is first moved to WIB). Pages and tables use :func:`day`."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, datetime.datetime):
        value = _local(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def long_when(value: datetime.datetime | None) -> str:
    """A moment as a document writes it, in WIB: ``27 November 2024 14.05 WIB``."""
    if value is None or value == "":
        return NOTHING
    t = _local(value)
    return f"{long_day(t)} {t.hour:02d}.{t.minute:02d} WIB"


def clock(value: datetime.datetime | datetime.time | None, seconds: bool = False) -> str:
    """The time of day: ``14.05 WIB`` (``seconds``: ``14.05.09 WIB``); a plain time has no zone to move."""
    if value is None or value == "":
        return NOTHING
    fmt = "%H.%M.%S" if seconds else "%H.%M"
    if isinstance(value, datetime.datetime):
        return _local(value).strftime(fmt) + " WIB"
    return value.strftime(fmt)


def paslon(value: object) -> str:
    """``1`` → ``Paslon 01``."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return NOTHING
    return _("Paslon %(n)02d") % {"n": n}
