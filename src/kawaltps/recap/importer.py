"""Import Sirekap pages already downloaded: a directory laid out as the site's paths, or files.

The file's own name gives its code (``.../3174091001012.json`` is a TPS, ``.../317409.json`` a
kecamatan page, ``ppwp.json``/``pkwkp.json`` the national page). Each file is judged alone: a
bad one is reported with its reason (Indonesian) and nothing of it is stored; the rest import.

How (pseudo-code)::

    for each batch of 500 files:
        for each file: read, parse and validate it WHOLE (sirekap.parse_tps / parse_region: every
            number through core.numbers.parse_count) -> an error names the file, nothing written
        region pages: one transaction each
        TPS pages: one transaction for the batch (fast path); if the database refuses it, the
            batch is rolled back and each file is written again alone in its own transaction, so
            a file the database refuses is reported by name and every other file still imports
    rebuild the official tallies once if any TPS changed
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import DatabaseError

from kawaltps.elections.models import Election
from kawaltps.regions.models import TPS

from .hr import is_hr_page, parse_hr, store_hr
from .sirekap import SirekapError, code_from_path, is_tps_page, load_json, parse_region, parse_tps
from .snapshots import key_map, rebuild_official_tallies, store_region, store_tps

BATCH = 500


@dataclass
class FileResult:
    file: str
    status: str  # new | changed | unchanged | error (| entered_differs for an hr page, recap.hr)
    code: str = ""
    kind: str = ""  # tps | region | hr
    reason: str = ""


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)
    tallies_rebuilt: bool = False

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.files:
            out[f.status] = out.get(f.status, 0) + 1
        return out

    @property
    def errors(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "error"]

    def as_dict(self) -> dict:
        return {
            "counts": self.counts,
            "files": len(self.files),
            "errors": [asdict(f) for f in self.errors],
            "changed": [asdict(f) for f in self.files if f.status == "changed"],
            "notes": [asdict(f) for f in self.files if f.reason and f.status != "error"],
            "tallies_rebuilt": self.tallies_rebuilt,
        }


WRITE_ERRORS = (DatabaseError, OverflowError, ValueError, TypeError)


def _refused(exc: Exception) -> str:
    return f"basis data menolak berkas ini ({type(exc).__name__}); tidak ada yang disimpan dari berkas ini"


def _store_tps_pages(election: Election, parsed: list, names: list[str], *, fetched_at, actor: str
                     ) -> list[FileResult]:
    """Write validated TPS pages: the batch in one transaction, or, if that fails, file by file."""
    refused: dict[int, str] = {}
    try:
        statuses = store_tps(election, parsed, sources=names, fetched_at=fetched_at, actor=actor, refused=refused)
        return [FileResult(n, s, p.code, "tps", reason=refused.get(i, ""))
                for i, (n, s, p) in enumerate(zip(names, statuses, parsed, strict=True))]
    except WRITE_ERRORS:
        pass  # rolled back whole; now each file alone
    out = []
    for name, doc in zip(names, parsed, strict=True):
        one: dict[int, str] = {}
        try:
            status = store_tps(election, [doc], sources=[name], fetched_at=fetched_at, actor=actor, refused=one)[0]
        except WRITE_ERRORS as exc:
            out.append(FileResult(name, "error", doc.code, "tps", reason=_refused(exc)))
        else:
            out.append(FileResult(name, status, doc.code, "tps", reason=one.get(0, "")))
    return out


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, directories walked for ``*.json`` (sorted, so runs are repeatable)."""
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.rglob("*.json")) if p.is_dir() else [p])
    return out


def read_document(election: Election, data: bytes, name: str, keys: dict[str, int], tps_codes: set[str]):
    """Parse one downloaded page → ("tps", ParsedTps) | ("region", ParsedRegion); SirekapError if bad."""
    doc = load_json(data)
    code = code_from_path(name)
    if is_hr_page(doc):  # KPU's published recapitulation page (recap.hr)
        return "hr", parse_hr(doc, keys, code, data)
    if len(code) == 13:
        if code not in tps_codes:
            raise SirekapError(f"TPS {code} tidak ada dalam pemilihan {election.slug}")
        return "tps", parse_tps(doc, keys, code, data)
    if code and len(code) not in (2, 4, 6, 10):
        raise SirekapError(f"kode di nama berkas bukan kode wilayah atau TPS: {code}")
    if is_tps_page(doc):
        raise SirekapError("halaman wilayah tanpa 'table' (halaman TPS harus bernama kode TPS 13 digit)")
    return "region", parse_region(doc, keys, code, data)


def import_files(
    election: Election,
    paths: Iterable[str | Path],
    *,
    fetched_at: datetime.datetime | None = None,
    on_progress: Callable[[int], None] | None = None,
    actor: str = "import-sirekap",
) -> ImportReport:
    files = expand(paths)
    keys = key_map(election)
    report = ImportReport()
    tps_codes = set(TPS.objects.filter(election=election).values_list("code", flat=True))
    for start in range(0, len(files), BATCH):
        chunk = files[start : start + BATCH]
        parsed, names, results = [], [], []
        for path in chunk:
            try:
                data = path.read_bytes()
            except OSError as exc:
                results.append(FileResult(str(path), "error", reason=f"berkas tidak dapat dibaca: {exc.strerror}"))
                continue
            try:
                kind, doc = read_document(election, data, path.name, keys, tps_codes)
            except SirekapError as exc:
                results.append(FileResult(str(path), "error", code=code_from_path(path.name), reason=str(exc)))
                continue
            if kind == "tps":
                parsed.append(doc)
                names.append(str(path))
                continue
            if kind == "hr":
                status, reason = store_hr(election, doc, source=str(path), actor=actor, fetched_at=fetched_at)
                results.append(FileResult(str(path), status, doc.code, "hr", reason=reason))
                continue
            try:
                status = store_region(election, doc, source=str(path), fetched_at=fetched_at)
            except WRITE_ERRORS as exc:
                results.append(FileResult(str(path), "error", doc.code, "region", reason=_refused(exc)))
            else:
                results.append(FileResult(str(path), status, doc.code, "region"))
        if parsed:
            results += _store_tps_pages(election, parsed, names, fetched_at=fetched_at, actor=actor)
        report.files += results
        if on_progress:
            on_progress(len(chunk))
    if any(f.kind == "tps" and f.status in ("new", "changed") for f in report.files):
        report.tallies_rebuilt = rebuild_official_tallies(election)
    return report
