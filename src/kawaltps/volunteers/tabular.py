"""Read a coordinator's volunteer list (CSV or XLSX) into a header and rows, refusing bad files.

A file is refused as a whole, before anything is imported, with an Indonesian message
(:class:`FileRefused`) when it is:

- larger than ``MAX_BYTES`` (checked from its size before a byte is read);
- empty, or has no header row with at least ``nama`` and ``nik`` in its first ``HEADER_SEARCH_ROWS`` rows;
- not CSV or XLSX (judged by content, not only by name: a ZIP-based XLSX, or text for CSV;
  the old binary ``.xls`` gets its own message);
- an XLSX with formulas (a cell with an ``<f>`` element: openpyxl's ``data_type == "f"``): the value a formula shows
  depends on the program that last computed it, so a list of people must hold values only;
- an XLSX with merged cells in or below the header row (a merged title *above* the header is fine);
- an XLSX that would inflate too far (a zip bomb), judged from the archive's directory before a
  byte is inflated: more than ``MAX_UNCOMPRESSED`` in all, a part inflating more than
  ``MAX_RATIO`` times its compressed size, or shared strings over ``MAX_SHARED_STRINGS`` (openpyxl
  holds them all in memory; a 259 KB file whose shared strings expand to 100 MB held a worker for
  two minutes). A real 100,000-row list inflates about 10× to some 50 MB. ``zipfile`` stops at the
  declared size, so a part cannot inflate past what its directory entry says;
- a CSV with a cell longer than ``csv.field_size_limit()`` (131,072 characters) or a NUL byte: the
  row is named and nothing is imported.

CSV: UTF-8 (with or without BOM) or Windows-1252 as Excel saves it; the delimiter is whichever of
``,`` ``;`` or tab appears most in the first line. Row numbers are those a person sees in the
spreadsheet (the header's own row counts; the first data row under a header on row 1 is row 2).
"""

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from kawaltps.core.formatting import number as angka

MAX_BYTES = getattr(settings, "VOLUNTEERS_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # an XLSX that inflates past this is refused (zip bomb)
MAX_RATIO = 100  # real spreadsheets inflate 5–20×; a bomb hundreds or thousands of times
MAX_SHARED_STRINGS = 40 * 1024 * 1024
MAX_PARTS = 1000
HEADER_SEARCH_ROWS = 10
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


class FileRefused(Exception):
    """The whole file is refused; ``str(exc)`` is the Indonesian reason."""


@dataclass
class Table:
    kind: str  # "csv" or "xlsx"
    header: list[str]
    header_row: int  # 1-based row number of the header
    rows: Iterator[tuple[int, list]]  # (row number, cell values), lazily
    size_hint: int  # approximate number of data rows (for a progress bar)


def open_table(path: str | Path, filename: str | None = None, size: int | None = None) -> Table:
    """Check and open ``path`` (its original name ``filename`` for the type check)."""
    path = Path(path)
    name = (filename or path.name).lower()
    size = path.stat().st_size if size is None else size
    if size > MAX_BYTES:
        raise FileRefused(f"Berkas terlalu besar ({size / 1024 / 1024:.0f} MB); batasnya "
                          f"{MAX_BYTES // 1024 // 1024} MB. Bagi menjadi beberapa berkas.")
    if size == 0:
        raise FileRefused("Berkas kosong.")
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused("Format .xls lama tidak didukung; simpan sebagai .xlsx atau CSV.")
    if head.startswith(b"PK\x03\x04"):
        if not name.endswith((".xlsx", ".xlsm")):
            raise FileRefused("Jenis berkas tidak didukung; gunakan CSV atau XLSX.")
        return _open_xlsx(path)
    if not name.endswith((".csv", ".txt")):
        raise FileRefused("Jenis berkas tidak didukung; gunakan CSV atau XLSX.")
    return _open_csv(path, size)


def _find_header(rows: list[tuple[int, list]]) -> tuple[int, list[str]]:
    from .columns import normalise_header

    for number, cells in rows[:HEADER_SEARCH_ROWS]:
        keys = {normalise_header(c) for c in cells if c not in (None, "")}
        if {"nama", "nik"} <= keys:
            return number, ["" if c is None else str(c) for c in cells]
    if not any(any(c not in (None, "") for c in cells) for _, cells in rows):
        raise FileRefused("Berkas kosong: tidak ada baris data.")
    raise FileRefused("Baris judul kolom tidak ditemukan: kolom 'nama' dan 'nik' harus ada di salah satu "
                      f"dari {HEADER_SEARCH_ROWS} baris pertama (lihat templat).")


# --- CSV -------------------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise FileRefused("Jenis berkas tidak didukung; gunakan CSV atau XLSX.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _open_csv(path: Path, size: int) -> Table:
    text = _decode(path.read_bytes())
    if not text.strip():
        raise FileRefused("Berkas kosong.")
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = _checked_rows(csv.reader(io.StringIO(text), delimiter=delimiter))
    head: list[tuple[int, list]] = []
    for number, cells in reader:
        head.append((number, cells))
        if number >= HEADER_SEARCH_ROWS:
            break
    header_row, header = _find_header(head)

    def rows():
        for number, cells in head:
            if number > header_row:
                yield number, cells
        yield from reader

    return Table("csv", header, header_row, rows(), max(text.count("\n") - header_row, 1))


def _checked_rows(reader) -> Iterator[tuple[int, list]]:
    """(row number, cells) from a csv reader; a row the csv module cannot read refuses the file with
    its row number (a cell over ``csv.field_size_limit()`` characters, a NUL byte)."""
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise FileRefused(f"Baris {number}: satu sel lebih dari {angka(csv.field_size_limit())} karakter"
                                  .replace(",", ".") + "; periksa berkasnya. Tidak ada yang diimpor.") from None
            raise FileRefused(f"Baris {number} tidak dapat dibaca sebagai CSV ({exc}). "
                              "Tidak ada yang diimpor.") from None
        yield number, cells


# --- XLSX ------------------------------------------------------------------------------------

def _open_xlsx(path: Path) -> Table:
    """The first worksheet, streamed with the standard library's ``iterparse``.

    openpyxl opens the workbook (finding the first sheet and its shared strings); the rows are then
    read straight from the sheet's XML, about four times faster than openpyxl's read-only cells,
    which keeps 100,000 rows well inside the time budget.
    """
    import openpyxl

    try:
        check_xlsx_expansion(path)
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
        if not wb.worksheets:
            raise FileRefused("Berkas kosong: tidak ada lembar kerja.")
        sheet_path = wb.worksheets[0]._worksheet_path.lstrip("/")
        shared = [str(s) for s in wb.shared_strings]
        wb.close()
    except FileRefused:
        raise
    except Exception:
        raise FileRefused("Berkas XLSX rusak atau bukan spreadsheet.") from None
    it = _guarded(_xlsx_rows(path, sheet_path, shared))
    head: list[tuple[int, list]] = []
    for number, cells in it:
        head.append((number, cells))
        if number >= HEADER_SEARCH_ROWS:
            break
    header_row, header = _find_header(head)
    _refuse_merged(path, sheet_path, header_row)

    def rows():
        for number, cells in head:
            if number > header_row:
                yield number, cells
        yield from it

    with zipfile.ZipFile(path) as archive:
        size_hint = archive.getinfo(sheet_path).file_size // 100  # ~100 bytes of XML per row
    return Table("xlsx", header, header_row, rows(), max(size_hint, 1))


def xlsx_expansion(path: str | Path) -> int:
    """Bytes the XLSX's parts inflate to, from its zip directory (nothing is inflated)."""
    with zipfile.ZipFile(path) as archive:
        return sum(i.file_size for i in archive.infolist())


def check_xlsx_expansion(path: str | Path) -> int:
    """Refuse (:class:`FileRefused`) an XLSX that would inflate too far; see the module docstring.
    Returns the total inflated size. Reads the zip directory only."""
    too_big = ("Berkas XLSX mengembang terlalu besar saat dibuka ({what}); berkas seperti ini bisa "
               "melumpuhkan server. Simpan ulang sebagai CSV atau bagi menjadi beberapa berkas. "
               "Tidak ada yang diimpor.")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused("Berkas XLSX rusak atau bukan spreadsheet.") from None
    if len(infos) > MAX_PARTS:
        raise FileRefused(too_big.format(what=f"{len(infos)} bagian"))
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise FileRefused(too_big.format(what=f"{total // 1024 // 1024} MB; batasnya "
                                              f"{MAX_UNCOMPRESSED // 1024 // 1024} MB"))
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise FileRefused(too_big.format(
                what=f"{info.filename} {info.file_size // max(info.compress_size, 1)} kali lipat"))
        if info.filename.lower().endswith("sharedstrings.xml") and info.file_size > MAX_SHARED_STRINGS:
            raise FileRefused(too_big.format(what=f"teks bersama {info.file_size // 1024 // 1024} MB"))
    return total


def _column(ref: str) -> int:
    """``'C12'`` → 2 (0-based column index)."""
    n = 0
    for ch in ref:
        if ch.isdigit():
            break
        n = n * 26 + ord(ch) - 64
    return n - 1


def _number(text: str | None):
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def _guarded(rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    """The sheet's rows; XML or zip damage found while streaming refuses the file (never a crash)."""
    from xml.etree.ElementTree import ParseError

    try:
        yield from rows
    except FileRefused:
        raise
    except (ParseError, ValueError, IndexError, KeyError, EOFError, OSError, zipfile.BadZipFile, zlib.error):
        raise FileRefused("Berkas XLSX rusak atau bukan spreadsheet. Tidak ada yang diimpor.") from None


def _formula_refused(where: str) -> FileRefused:
    return FileRefused(f"Spreadsheet berisi rumus (sel {where}); salin lalu tempel sebagai nilai "
                       "(Paste Special → Values) sebelum mengunggah. Tidak ada yang diimpor.")


def _xlsx_rows(path: Path, sheet_path: str, shared: list[str]) -> Iterator[tuple[int, list]]:
    """(row number, values) for each row present in the sheet; a formula cell refuses the file."""
    from xml.etree.ElementTree import iterparse

    with zipfile.ZipFile(path) as archive, archive.open(sheet_path) as f:
        row: list = []
        number = 0
        for _, el in iterparse(f):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "c":
                ref = el.get("r") or ""
                kind = el.get("t")
                value = None
                for child in el:
                    ctag = child.tag.rsplit("}", 1)[-1]
                    if ctag == "f":
                        raise _formula_refused(ref or f"baris {number + 1}")
                    if ctag == "v":
                        value = child.text
                    elif ctag == "is":
                        value = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
                if kind == "s" and value is not None:
                    value = shared[int(value)]
                elif kind in (None, "n"):
                    value = _number(value)
                elif kind == "b":
                    value = value == "1"
                col = _column(ref) if ref else len(row)
                if col > len(row):
                    row.extend([None] * (col - len(row)))
                row.append(value)
            elif tag == "row":
                number = int(el.get("r") or number + 1)
                yield number, row
                row = []
                el.clear()


def _refuse_merged(path: Path, sheet_path: str, header_row: int) -> None:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(sheet_path)
    tail = xml[xml.rfind(b"</sheetData>"):] if b"</sheetData>" in xml else xml
    for m in _MERGE.finditer(tail):
        last_row = int(m.group(4) or m.group(2))
        if last_row >= header_row:
            ref = m.group(0).split(b'"')[1].decode()
            raise FileRefused(f"Spreadsheet berisi sel gabungan ({ref}) di baris judul kolom atau data; "
                              "pisahkan sel gabungan (Unmerge) lalu unggah lagi. Tidak ada yang diimpor.")
