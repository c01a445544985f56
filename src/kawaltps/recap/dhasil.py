"""D.Hasil, the recap forms of the tiers above the TPS: entering, importing, photos.

Rules:
- A D.Hasil belongs to one region of its tier: kecamatan (6-digit code), kabupaten/kota (4) or
  provinsi (2), inside the election's scope. One current D.Hasil per region; entering it again
  replaces the numbers and the audit log keeps who, when, before and after.
- Every paslon of the election has a number (0 or more); valid/invalid are optional. Every number
  follows the shared count rule (``kawaltps.core.numbers.parse_count``: ASCII digits, ``.`` as
  thousands separator, at most 10^9), so no entry can hold a value that breaks a recompute.
- Photos of the form: JPEG, PNG, WebP or PDF, at most ``MAX_PHOTO_BYTES``, stored under their SHA-256.
  A file is judged by decoding it whole, not by its first bytes: an image must decode (pixels
  bounded by the evidence rules, ``evidence.rules.open_image``), a PDF must parse with pypdf and
  have 1 to ``MAX_PDF_PAGES`` pages. It is always served as a download with its fixed type
  (``Content-Disposition: attachment``), never rendered inline by the browser.

CSV format for ``kawaltps import-dhasil`` (UTF-8, comma, header row)::

    kode,paslon_1,paslon_2,paslon_3,sah,tidak_sah
    31.75.08,41234,9876,60211,111321,2311

``kode`` dotted or not; one ``paslon_N`` column per paslon number; ``sah``/``tidak_sah`` and
``dpt``, ``pengguna`` (voters), ``surat_suara`` (ballots used) optional (may be left empty). A row
whose ``kode`` is one tier down (a kelurahan in a kecamatan file, ...) is a row *of* the form: the
rows are stored with their total and must add up to it (else the total is refused with the reason).
A bad row is reported with its line and reason; the other rows are imported.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from kawaltps.audit.services import record_change
from kawaltps.core.numbers import NumberError, is_ascii_digits, parse_count
from kawaltps.elections.models import Election
from kawaltps.regions.models import Region

from .models import TIER_CODE_LENGTH, DHasil, DHasilPhoto, Tier

MAX_PHOTO_BYTES = 15 * 1024 * 1024
MAX_PDF_PAGES = 50
IMAGE_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


class DHasilError(ValueError):
    """Input that cannot be saved; the message is Indonesian and names the problem."""


def parse_tier(value: str) -> Tier:
    v = (value or "").strip().lower()
    aliases = {"kota": Tier.KABKOTA, "kabupaten": Tier.KABKOTA, "kab": Tier.KABKOTA, "prov": Tier.PROVINSI}
    if v in Tier.values:
        return Tier(v)
    if v in aliases:
        return aliases[v]
    raise DHasilError(f"tingkat tidak dikenal: {value!r} (kecamatan, kabkota, atau provinsi)")


def _region(election: Election, tier: Tier, code: str) -> Region:
    code = (code or "").strip().replace(".", "")
    if not is_ascii_digits(code) or len(code) != TIER_CODE_LENGTH[tier]:
        raise DHasilError(
            f"kode {code!r} bukan kode {tier.label.split(' (')[0].lower()} ({TIER_CODE_LENGTH[tier]} digit)"
        )
    if election.scope_id and not code.startswith(election.scope_id):
        raise DHasilError(f"wilayah {code} di luar wilayah pemilihan {election.name}")
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise DHasilError(f"wilayah {code} tidak dikenal") from None


def _count(value, what: str) -> int | None:
    """One D.Hasil number through the shared count rule; DHasilError with its reason."""
    try:
        return parse_count(value, field=what)
    except NumberError as exc:
        raise DHasilError(str(exc)) from None


CHILD_LENGTH = {Tier.KECAMATAN: 10, Tier.KABKOTA: 6, Tier.PROVINSI: 4}
ADMIN_FIELDS = ("dpt", "voters", "ballots_used", "valid", "invalid")
ADMIN_LABELS = {"dpt": "DPT", "voters": "pengguna hak pilih", "ballots_used": "surat suara digunakan",
                "valid": "suara sah", "invalid": "suara tidak sah"}
CHILD_WORD = {Tier.KECAMATAN: "kelurahan", Tier.KABKOTA: "kecamatan", Tier.PROVINSI: "kabupaten/kota"}
FORM_CHECKS = {
    "valid_not_sum": "suara sah tidak sama dengan jumlah suara paslon",
    "voters_not_valid_invalid": "pengguna hak pilih tidak sama dengan suara sah + tidak sah",
    "voters_over_dpt": "pengguna hak pilih melebihi DPT",
    "ballots_not_voters": "surat suara digunakan tidak sama dengan pengguna hak pilih",
}


def form_checks(votes: dict, *, dpt=None, voters=None, ballots_used=None, valid=None, invalid=None) -> list[str]:
    """The D.Hasil's own arithmetic (as on the form, PKPU 18/2024): valid = Σ paslon; voters = valid +
    invalid; voters ≤ DPT; ballots used = voters. Codes of :data:`FORM_CHECKS` that fail (only where the
    numbers are given); a failing form is kept as evidence, never refused."""
    out = []
    if valid is not None and valid != sum(votes.values()):
        out.append("valid_not_sum")
    if None not in (voters, valid, invalid) and voters != valid + invalid:
        out.append("voters_not_valid_invalid")
    if None not in (voters, dpt) and voters > dpt:
        out.append("voters_over_dpt")
    if None not in (ballots_used, voters) and ballots_used != voters:
        out.append("ballots_not_voters")
    return out


def _children(tier: Tier, code: str, children: dict | None, numbers: list[int], totals: dict) -> dict:
    """Check the form's rows (one per child region) and that they add up to the totals; DHasilError names
    the first row or column that does not."""
    if not children:
        return {}
    length = CHILD_LENGTH[tier]
    out: dict[str, dict] = {}
    for raw_code, row in children.items():
        child = str(raw_code).strip().replace(".", "")
        if not is_ascii_digits(child) or len(child) != length or not child.startswith(code):
            raise DHasilError(f"baris {raw_code!r} bukan wilayah di bawah {code} ({length} digit)")
        votes = row.get("votes") or {}
        clean = {}
        for n in numbers:
            v = _count(votes.get(str(n), votes.get(n)), f"suara paslon {n:02d} baris {child}")
            if v is None:
                raise DHasilError(f"suara paslon {n:02d} baris {child} wajib diisi")
            clean[str(n)] = v
        item = {"votes": clean}
        for f in ADMIN_FIELDS:
            item[f] = _count(row.get(f), f"{ADMIN_LABELS[f]} baris {child}")
        out[child] = item
    word = CHILD_WORD[tier]
    for n in numbers:
        s = sum(r["votes"][str(n)] for r in out.values())
        if s != totals["votes"][str(n)]:
            raise DHasilError(
                f"rincian tidak berjumlah sama: paslon {n:02d} per wilayah berjumlah {s}, "
                f"jumlahnya {totals['votes'][str(n)]} (selisih {s - totals['votes'][str(n)]:+d}; "
                f"{len(out)} baris {word} D.Hasil {code}); tidak ada yang disimpan"
            )
    for f in ADMIN_FIELDS:
        given = [r[f] for r in out.values() if r[f] is not None]
        if totals.get(f) is not None and len(given) == len(out) and sum(given) != totals[f]:
            raise DHasilError(
                f"rincian tidak berjumlah sama: {ADMIN_LABELS[f]} per wilayah berjumlah {sum(given)}, "
                f"jumlahnya {totals[f]} (selisih {sum(given) - totals[f]:+d}; {len(out)} baris {word} "
                f"D.Hasil {code}); tidak ada yang disimpan"
            )
    return out


def save_dhasil(
    election: Election,
    tier: Tier | str,
    code: str,
    votes: dict,
    *,
    valid=None,
    invalid=None,
    dpt=None,
    voters=None,
    ballots_used=None,
    children: dict | None = None,
    user=None,
    source: str = "form",
    actor: str = "",
) -> DHasil:
    """Create or replace the D.Hasil of one region, with its audit record, in one transaction.

    ``children``: the form's rows, ``{child code: {"votes": {...}, "dpt", "voters", "ballots_used", "valid",
    "invalid"}}``;
    they must add up to the totals (else DHasilError and nothing is saved). The form's arithmetic
    (:func:`form_checks`) is stored in ``flags``. A D.Hasil of a region with no TPS of the election in
    our register is refused."""
    tier = parse_tier(tier) if isinstance(tier, str) else tier
    region = _region(election, tier, code)
    numbers = sorted(election.candidates.values_list("number", flat=True))
    clean: dict[str, int] = {}
    for n in numbers:
        v = _count(votes.get(str(n), votes.get(n)), f"suara paslon {n:02d}")
        if v is None:
            raise DHasilError(f"suara paslon {n:02d} wajib diisi")
        clean[str(n)] = v
    extra = {str(k) for k in votes} - set(clean)
    if extra:
        raise DHasilError(f"paslon tidak dikenal: {', '.join(sorted(extra))}")
    valid, invalid = _count(valid, "suara sah"), _count(invalid, "suara tidak sah")
    admin = {"dpt": _count(dpt, "DPT"), "voters": _count(voters, "pengguna hak pilih"),
             "ballots_used": _count(ballots_used, "surat suara digunakan")}  # fmt: skip
    if not election.tps_set.filter(code__startswith=region.code).exists():
        raise DHasilError(f"wilayah {region.code} tidak memiliki TPS pemilihan ini di daftar kami")
    totals = {"votes": clean, "valid": valid, "invalid": invalid, **admin}
    rows = _children(tier, region.code, children, numbers, totals)
    flags = form_checks(clean, valid=valid, invalid=invalid, **admin)
    with transaction.atomic():
        obj = DHasil.objects.select_for_update().filter(election=election, code=region.code).first()
        keys = ("dpt", "voters", "ballots_used", "children", "flags")
        before = None if obj is None else {"votes": obj.votes, "valid": obj.valid, "invalid": obj.invalid,
                                           **{k: getattr(obj, k) for k in keys}}  # fmt: skip
        after = {"votes": clean, "valid": valid, "invalid": invalid, **admin, "children": rows, "flags": flags}
        if obj is None:
            obj = DHasil.objects.create(
                election=election,
                tier=tier,
                region=region,
                code=region.code,
                votes=clean,
                valid=valid,
                invalid=invalid,
                **admin,
                children=rows,
                flags=flags,
                entered_by=user if getattr(user, "pk", None) else None,
                source=source[:200],
            )
        elif before == after:
            return obj
        else:
            obj.votes, obj.valid, obj.invalid, obj.source = clean, valid, invalid, source[:200]
            for k in keys:
                setattr(obj, k, after[k])
            obj.entered_by = user if getattr(user, "pk", None) else obj.entered_by
            obj.save()
        record_change(
            user=user,
            actor=actor,
            obj=obj,
            code=region.code,
            election_slug=election.slug,
            action="dhasil_entered" if before is None else "dhasil_changed",
            before=before,
            after=after,
            reason=f"D.Hasil {tier.value} ({source})",
        )
    return obj


def _check_pdf(data: bytes) -> None:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        pages = len(reader.pages)
        if not 1 <= pages <= MAX_PDF_PAGES:
            raise DHasilError(f"PDF harus berisi 1 sampai {MAX_PDF_PAGES} halaman (berisi {pages})")
        for page in reader.pages:
            _ = page.mediabox
    except DHasilError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, AssertionError, ZeroDivisionError):
        raise DHasilError("berkas PDF rusak atau bukan PDF yang sah") from None
    finally:
        pypdf_log.setLevel(level)


def sniff_photo(data: bytes) -> tuple[str, str]:
    """(content type, extension) of a D.Hasil photo or scan, judged by decoding the whole file: an
    image (JPEG/PNG/WebP) that decodes within the pixel bound, or a PDF that parses. DHasilError else."""
    if not data:
        raise DHasilError("berkas foto kosong")
    if len(data) > MAX_PHOTO_BYTES:
        raise DHasilError(f"foto terlalu besar ({len(data) // 1024 // 1024} MB; maksimum 15 MB)")
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        return "application/pdf", "pdf"
    from kawaltps.evidence.rules import open_image

    try:
        with open_image(data, formats=tuple(IMAGE_TYPES)) as img:
            fmt = img.format
    except ValidationError as exc:
        if "piksel" in " ".join(exc.messages):
            raise DHasilError(" ".join(exc.messages)) from None
        raise DHasilError("foto harus JPEG, PNG, WebP, atau PDF yang utuh dan bisa dibuka") from None
    return IMAGE_TYPES[fmt]


def add_photo(dhasil: DHasil, data: bytes, *, user=None) -> DHasilPhoto:
    """Check (:func:`sniff_photo`) and store one photo or PDF of a D.Hasil, with its audit record."""
    content_type, ext = sniff_photo(data)
    sha = hashlib.sha256(data).hexdigest()
    existing = dhasil.photos.filter(sha256=sha).first()
    if existing:
        return existing
    with transaction.atomic():
        photo = DHasilPhoto(
            dhasil=dhasil,
            content_type=content_type,
            size=len(data),
            sha256=sha,
            uploaded_by=user if getattr(user, "pk", None) else None,
        )
        photo.file.save(f"{sha}.{ext}", ContentFile(data), save=False)
        photo.save()
        record_change(
            user=user,
            obj=photo,
            code=dhasil.code,
            election_slug=dhasil.election.slug,
            action="dhasil_photo_added",
            after={"sha256": sha, "size": len(data), "type": content_type},
        )
    return photo


CSV_ADMIN = {"valid": "sah", "invalid": "tidak_sah", "dpt": "dpt", "voters": "pengguna", "ballots_used": "surat_suara"}


@dataclass
class CsvReport:
    saved: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"saved": len(self.saved), "codes": self.saved, "errors": self.errors}


def import_csv(
    election: Election, tier: Tier | str, data: bytes, *, source: str = "csv", actor: str = "import-dhasil"
) -> CsvReport:
    """Import D.Hasil rows (format in the module docstring); bad rows are reported, good ones saved."""
    tier = parse_tier(tier) if isinstance(tier, str) else tier
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DHasilError("berkas bukan teks UTF-8") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    numbers = sorted(election.candidates.values_list("number", flat=True))
    needed = ["kode"] + [f"paslon_{n}" for n in numbers]
    missing = [c for c in needed if c not in header]
    if missing:
        raise DHasilError(f"kolom wajib tidak ada: {', '.join(missing)}")
    report = CsvReport()
    parents: list[tuple[int, dict]] = []
    kids: dict[str, dict[str, dict]] = {}
    child_len, parent_len = CHILD_LENGTH[tier], TIER_CODE_LENGTH[tier]
    line = 1
    while True:
        line += 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # a cell over csv.field_size_limit(), a NUL byte: stop at this line
            too_long = "field larger than field limit" in str(exc)
            report.errors.append({"line": line, "kode": "", "reason": (
                f"satu sel lebih dari {csv.field_size_limit()} karakter" if too_long
                else f"baris tidak dapat dibaca sebagai CSV ({exc})") + "; baris berikutnya tidak dibaca"})
            break
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
        code = row.get("kode", "").replace(".", "")
        if len(code) == child_len:  # a row of the form (kelurahan of a D.Hasil Kecamatan, ...)
            kids.setdefault(code[:parent_len], {})[code] = {
                "votes": {str(n): row[f"paslon_{n}"] for n in numbers},
                **{f: row.get(col) for f, col in CSV_ADMIN.items()},
            }
            continue
        parents.append((line, row))
    for line, row in parents:
        code = row.get("kode", "").replace(".", "")
        try:
            obj = save_dhasil(
                election,
                tier,
                row["kode"],
                {str(n): row[f"paslon_{n}"] for n in numbers},
                **{f: row.get(col) for f, col in CSV_ADMIN.items()},
                children=kids.pop(code, None),
                source=source,
                actor=actor,
            )
        except DHasilError as exc:
            report.errors.append({"line": line, "kode": row.get("kode", ""), "reason": str(exc)})
            continue
        report.saved.append(obj.code)
    for code in kids:
        report.errors.append({"line": 0, "kode": code, "reason": f"baris rincian tanpa baris jumlah {code}"})
    return report
