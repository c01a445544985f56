"""The one rule for every number and digit string that enters Kawal TPS, from any door.

Why one rule: Python's ``str.isdigit()``, ``int()`` and the regex ``\\d`` accept far more than
``0``–``9``: superscripts (``"²".isdigit()`` is true, ``int("²")`` then raises), fullwidth digits
(``"１２３"``) and Arabic-Indic digits (``"١٢٣"``), which ``int()`` silently reads as 123. So a
vote of ``"²"`` crashed a page, a 5,000-digit number crashed ``int()`` (CPython refuses more
than 4,300 digits), a fullwidth copy of a NIK registered as a new person, and a D.Hasil of 10^400
made every later recompute of the election fail. Every path (C.Hasil form and API, D.Hasil form
and CSV, Sirekap pages, the results and volunteer importers, NIK, phone and region codes) calls
the functions below; the vectorised importers use the same constants (:func:`polars_count`).

**Counts** (:func:`parse_count`): a whole number of votes, voters, ballots or people.

- Text may only hold the ASCII digits ``0``–``9``, optionally grouped by ``.`` as Indonesians
  write thousands (``"1.234"`` is 1234); spaces around it are ignored. A sign, a decimal comma,
  an exponent or any other digit script is refused. Text longer than ``MAX_TEXT`` characters is
  refused before any conversion is tried.
- A JSON/spreadsheet number (``int`` or ``float``) must be finite and whole.
- Never negative, never above ``MAX_COUNT`` = 10^9. Indonesia has about 205 million voters
  (DPT Pemilu 2024: 204,807,222), so no honest count at any tier, national totals included,
  comes near it; it also fits a 32-bit integer column (2,147,483,647) and keeps sums of every
  TPS of a country far inside 64 bits. A path may pass a tighter ``maximum`` for a domain reason
  (one TPS never has 100,000 voters), never a looser one.

**Digit strings** (:func:`is_ascii_digits`): NIK, phone numbers, region and TPS codes, ids in
URLs are ASCII digits only; the check is ``str.isascii() and str.isdigit()``, or ``[0-9]`` in a
regular expression, never ``\\d``.
"""

from __future__ import annotations

import math
import re

from django.utils.translation import gettext as _

MAX_COUNT = 1_000_000_000
MAX_TEXT = 32  # "1.000.000.000" is 13 characters; anything much longer is not a count
_GROUPED = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})+$")
_PLAIN = re.compile(r"^[0-9]+$")


class NumberError(ValueError):
    """A value that is not an acceptable count; ``str(exc)`` is the Indonesian reason."""


def is_ascii_digits(text: object) -> bool:
    """True when ``text`` is a non-empty string of the ASCII digits 0–9 only."""
    return isinstance(text, str) and text.isascii() and text.isdigit()


def parse_count(value: object, *, field: str = "", maximum: int = MAX_COUNT) -> int | None:
    """A count from a form, JSON or a spreadsheet cell, or :class:`NumberError` (Indonesian).

    ``None`` and blank text give ``None`` (the caller decides whether the value is required).
    ``field`` names the value in the message (``"Suara paslon 1"``).
    """
    label = field or _("Angka")
    maximum = min(maximum, MAX_COUNT)
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberError(_("%(field)s harus berupa angka bulat.") % {"field": label})
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise NumberError(_("%(field)s harus berupa angka bulat.") % {"field": label})
        if abs(value) > 2 * MAX_COUNT:
            value = MAX_COUNT + 1 if value > 0 else -1  # never int() a 1e300
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if len(text) > MAX_TEXT:
            raise NumberError(_("%(field)s terlalu panjang untuk sebuah angka.") % {"field": label})
        if text.startswith("-") and _PLAIN.match(text[1:].replace(".", "")):
            raise NumberError(_("%(field)s tidak boleh negatif.") % {"field": label})
        if _GROUPED.match(text):
            text = text.replace(".", "")
        if not _PLAIN.match(text):
            raise NumberError(
                _("%(field)s harus berupa angka bulat, ditulis dengan angka 0–9.") % {"field": label})
        value = int(text)
    if not isinstance(value, int):
        raise NumberError(_("%(field)s harus berupa angka bulat.") % {"field": label})
    if value < 0:
        raise NumberError(_("%(field)s tidak boleh negatif.") % {"field": label})
    if value > maximum:
        raise NumberError(_("%(field)s terlalu besar (paling banyak %(max)s).")
                          % {"field": label, "max": f"{maximum:,}".replace(",", ".")})
    return value


def parse_id(value: object) -> int | None:
    """A database id from a URL or form (``?ormas=12``, ``submission=3``): ASCII digits, at most
    18 of them (below 2^63), else ``None`` so the caller answers 404/400 instead of crashing."""
    text = str(value).strip() if value is not None else ""
    if not is_ascii_digits(text) or len(text) > 18:
        return None
    return int(text)


def polars_count(column: str, maximum: int = MAX_COUNT):
    """The :func:`parse_count` rule over a text column, for the vectorised importers.

    Returns ``(value, bad)`` Polars expressions: ``value`` is the Int64 count (null when blank or
    bad), ``bad`` is true where a non-blank cell breaks the rule (not ASCII digits with optional
    ``.`` thousands groups, too long, or above ``maximum``).
    """
    import polars as pl

    maximum = min(maximum, MAX_COUNT)
    raw = pl.col(column).str.strip_chars()
    blank = raw.is_null() | (raw == "")
    grouped = raw.str.contains(_GROUPED.pattern)
    text = pl.when(grouped).then(raw.str.replace_all(".", "", literal=True)).otherwise(raw)
    shaped = (raw.str.len_chars() <= MAX_TEXT) & text.str.contains(_PLAIN.pattern) & (text.str.len_chars() <= 10)
    number = pl.when(shaped).then(text).otherwise(None).cast(pl.Int64, strict=False)
    bad = ~blank & (~shaped | (number > maximum)).fill_null(True)
    value = pl.when(bad | blank).then(None).otherwise(number).cast(pl.Int64)
    return value, bad



PLAIN_COUNT = r"^[0-9]{1,9}$"  # the common cell: 1-9 ASCII digits, nothing else (< MAX_COUNT)


def polars_plain_count(column: str):
    """``(plain, value)`` Polars expressions for the fast path of :func:`polars_count`.

    ``plain`` is true where the cell is null or exactly 1–9 ASCII digits (no spaces, dots or sign);
    for every such cell ``polars_count`` gives no error and the value ``value`` (a plain cast), so a
    frame may take only its non-plain rows through ``polars_count`` (``tests/core/test_numbers.py``
    checks the two agree). Not valid with a ``maximum`` below 999,999,999.
    """
    import polars as pl

    cell = pl.col(column)
    return cell.is_null() | cell.str.contains(PLAIN_COUNT), cell.cast(pl.Int64, strict=False)


MAX_PAGE = 500
MAX_OFFSET = 10_000_000


def page_window(limit: int, offset: int = 0, *, max_limit: int = MAX_PAGE) -> tuple[int, int]:
    """``(limit, offset)`` of an API list, or :class:`NumberError` (Indonesian): ``limit`` 1 to
    ``max_limit`` (500), ``offset`` 0 to ``MAX_OFFSET``. Every list endpoint calls this, so a negative
    or 30-digit ``limit``/``offset`` is a 422, never a 500 from the database driver."""
    if not 1 <= limit <= max_limit:
        raise NumberError(_("limit harus antara 1 dan %(max)s.") % {"max": max_limit})
    if not 0 <= offset <= MAX_OFFSET:
        raise NumberError(_("offset harus antara 0 dan %(max)s.") % {"max": f"{MAX_OFFSET:,}".replace(",", ".")})
    return limit, offset
