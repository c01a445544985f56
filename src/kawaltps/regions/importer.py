"""Load the Kemendagri region list (``kode,nama,level`` CSV, dotted codes) into :class:`Region`.

Rules, checked for every row before anything is written (a bad file changes nothing):
- the file is UTF-8 (a BOM is accepted); the header names ``kode``, ``nama`` and ``level``;
- a code is dotted ASCII digits (``0``–``9`` only, ``regions.codes``) of the shape ``PP``, ``PP.KK``,
  ``PP.KK.CC`` or ``PP.KK.CC.DDDD``;
- the level (1–4) is the one the code's shape implies;
- the parent (the code one level up) is in the file or already in the database;
- a code appears once.
A second run updates names in place; nothing is duplicated.
"""

import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .codes import Level, level_of, parent_code, undot
from .models import Region

BATCH = 2000


class RegionFileError(Exception):
    """A problem with the file; ``row`` is the 1-based line number (header = line 1)."""

    def __init__(self, row: int | None, reason: str):
        self.row, self.reason = row, reason
        super().__init__(f"baris {row}: {reason}" if row else reason)


@dataclass
class ImportCounts:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        names = {Level.PROVINSI: "provinsi", Level.KABKOTA: "kabkota", Level.KECAMATAN: "kecamatan",
                 Level.KELURAHAN: "kelurahan"}
        return {
            kind: {names[lv]: getattr(self, kind)[lv] for lv in Level}
            for kind in ("created", "updated", "unchanged")
        } | {"total_rows": sum(self.created.values()) + sum(self.updated.values()) + sum(self.unchanged.values())}


def read_rows(raw: bytes) -> list[tuple[int, str, str, Level]]:
    """Parse and validate the file's bytes into (line, code, name, level), or raise RegionFileError."""
    for lineno, line in enumerate(raw.splitlines(), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RegionFileError(
                lineno, f"teks bukan UTF-8 ({exc.reason}); simpan ulang berkas sebagai UTF-8") from None
    text = raw.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as exc:
        raise RegionFileError(1, f"kepala kolom tidak dapat dibaca sebagai CSV ({exc})") from None
    if not {"kode", "nama", "level"} <= set(header):
        raise RegionFileError(1, "kepala kolom harus memuat kode, nama, level")
    ik, iname, ilevel = header.index("kode"), header.index("nama"), header.index("level")
    rows, seen = [], set()
    for lineno, rec in _records(reader):
        if not rec or all(not c.strip() for c in rec):
            continue
        if len(rec) < len(header):
            raise RegionFileError(lineno, f"kolom kurang: {len(rec)} dari {len(header)}")
        try:
            code = undot(rec[ik])
        except ValueError as exc:
            raise RegionFileError(lineno, str(exc)) from None
        name = rec[iname].strip()
        if not name:
            raise RegionFileError(lineno, "nama kosong")
        implied = level_of(code)
        if rec[ilevel].strip() not in {"1", "2", "3", "4"}:
            raise RegionFileError(lineno, f"level {rec[ilevel]!r} tidak sah (harus 1–4)")
        if int(rec[ilevel]) != implied:
            raise RegionFileError(lineno, f"level {rec[ilevel].strip()} tidak cocok dengan kode {rec[ik].strip()} "
                                          f"(bentuk kode berarti level {int(implied)})")
        if code in seen:
            raise RegionFileError(lineno, f"kode {rec[ik].strip()} muncul lebih dari sekali")
        seen.add(code)
        rows.append((lineno, code, name, implied))
    if not rows:
        raise RegionFileError(None, "berkas tidak berisi wilayah")
    return rows


def _records(reader) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) after the header; a line the csv module refuses is a RegionFileError naming it."""
    lineno = 1
    while True:
        lineno += 1
        try:
            rec = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise RegionFileError(lineno, f"satu sel lebih dari {csv.field_size_limit()} karakter") from None
            raise RegionFileError(lineno, f"baris tidak dapat dibaca sebagai CSV ({exc})") from None
        yield lineno, rec


def import_regions(path: Path | str, progress=None) -> ImportCounts:
    """Validate the whole file, then create/update every region in one transaction."""
    rows = read_rows(Path(path).read_bytes())
    existing = {code: (name, level, parent) for code, name, level, parent in
                Region.objects.values_list("code", "name", "level", "parent_id")}
    in_file = {code for _, code, _, _ in rows}
    for lineno, code, _name, _level in rows:
        parent = parent_code(code)
        if parent and parent not in in_file and parent not in existing:
            raise RegionFileError(lineno, f"induk {parent} dari kode {code} tidak ada di berkas maupun basis data")
    counts = ImportCounts()
    to_create, to_update = [], []
    for _lineno, code, name, level in sorted(rows, key=lambda r: (r[3], r[1])):
        obj = Region(code=code, name=name, level=level, parent_id=parent_code(code))
        old = existing.get(code)
        if old is None:
            to_create.append(obj)
            counts.created[level] += 1
        elif old != (name, level, obj.parent_id):
            to_update.append(obj)
            counts.updated[level] += 1
        else:
            counts.unchanged[level] += 1
    with transaction.atomic():
        for start in range(0, len(to_create), BATCH):
            Region.objects.bulk_create(to_create[start:start + BATCH])
            if progress:
                progress(len(to_create[start:start + BATCH]))
        for start in range(0, len(to_update), BATCH):
            Region.objects.bulk_update(to_update[start:start + BATCH], ["name", "level", "parent"])
            if progress:
                progress(len(to_update[start:start + BATCH]))
    if progress:
        progress(sum(counts.unchanged.values()))
    return counts
