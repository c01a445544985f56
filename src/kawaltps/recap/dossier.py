"""Evidence dossier: one ZIP a lawyer can attach to a Bawaslu report or a Constitutional Court petition.

Contents (paths inside the ZIP):

- ``ringkasan.pdf``: an Indonesian summary: the numbers per paslon from every source, the
  differences found, the photos and Sirekap versions with their SHA-256, how to verify;
- ``data/angka.json``: the numbers (our C.Hasil, official, D.Hasil, discrepancies);
- ``data/riwayat.json``: the history of every number: audit records, C.Hasil submissions, Sirekap
  versions (with fetch time, Sirekap ``ts`` and SHA-256);
- ``data/linimasa.json``: the timeline from every registered source (:data:`TIMELINE_SOURCES`);
- ``foto/saksi/...``, ``foto/dhasil/...``: the original photos, byte for byte;
- ``sirekap/<code>-<n>.json``: the original bytes of every Sirekap version;
- ``data/tps_kecamatan.csv`` (kecamatan subjects): every TPS with official and witness votes;
- ``manifest.json``: every other file with its SHA-256 and size, ``manifest_sha256`` (the
  SHA-256 of the canonical JSON, sorted keys and no spaces, of ``{"dossier": ..., "files": ...}``)
  and ``signature``: the organisation's Ed25519 signature of that same canonical JSON
  (:mod:`recap.signing`).

Verifying (:func:`verify`, ``kawaltps verify-dossier``, rules in :mod:`recap.verification`): the
signature verifies with the trusted public key, every listed file is present with the listed hash,
no file is unlisted, the ZIP holds no duplicate or unsafe name and nothing oversized.

Photos are read back from storage and compared with the SHA-256 stored when they were uploaded: a
photo whose bytes differ (or that is missing) is not put in the ZIP; it is named in the manifest's
``dossier.photo_problems``, in ``data/riwayat.json`` and on the PDF's first page.

The timeline is open for extension: a capability that records check-ins or incidents appends a
function ``(election, codes) -> list[event dict]`` to :data:`TIMELINE_SOURCES`; each event has
``time`` (ISO), ``kind``, ``code``, ``text``.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.utils import timezone, translation

from kawaltps.audit.models import ChangeRecord
from kawaltps.elections.models import Election
from kawaltps.regions.lookup import place_name

from . import signing
from .labels import format_votes, label
from .models import DHasil, Discrepancy, SirekapSnapshot
from .verification import MANIFEST, Verification, canonical, sha256, verify

__all__ = ["MANIFEST", "Verification", "build", "canonical", "sha256", "verify"]

GENERATOR = "Kawal TPS — berkas bukti v2 (bertanda tangan Ed25519)"


@dataclass
class Subject:
    """What the dossier is about: TPS codes and region codes, and the discrepancies concerned."""

    election: Election
    title: str
    kind: str  # tps | region | discrepancy
    code: str
    tps_codes: list[str] = field(default_factory=list)
    region_codes: list[str] = field(default_factory=list)
    discrepancies: list[Discrepancy] = field(default_factory=list)


# --- timeline sources -------------------------------------------------------------------------


def _submission_events(election: Election, codes: list[str]) -> list[dict]:
    from kawaltps.results.models import Submission

    subs = Submission.objects.filter(result__election=election, result__code__in=codes).select_related(
        "result", "entered_by"
    )
    return [
        {
            "time": s.created_at.isoformat(),
            "kind": f"c_hasil_{s.result.source}",
            "code": s.result.code,
            "text": f"{s.get_kind_display()} oleh {s.entered_by.username if s.entered_by else 'sistem'}: "
            f"{format_votes(s.votes)}",
        }
        for s in subs
    ]


def _photo_events(election: Election, codes: list[str]) -> list[dict]:
    from kawaltps.results.models import Photo

    photos = Photo.objects.filter(result__election=election, result__code__in=codes).select_related("result")
    return [
        {
            "time": p.created_at.isoformat(),
            "kind": "foto_c_hasil",
            "code": p.result.code,
            "text": f"foto halaman {p.page} diunggah, sha256 {p.sha256}"
            + (f", EXIF {p.exif_time.isoformat()}" if p.exif_time else ""),
        }
        for p in photos
    ]


def _snapshot_events(election: Election, codes: list[str]) -> list[dict]:
    snaps = SirekapSnapshot.objects.filter(election=election, code__in=codes).defer("raw", "raw_bytes")
    return [
        {
            "time": (s.sirekap_ts or s.fetched_at).isoformat(),
            "kind": "sirekap",
            "code": s.code,
            "text": f"Sirekap menerbitkan {format_votes(s.votes)}"
            + (" (BERUBAH setelah terbit)" if s.changed else "")
            + f", sha256 {s.sha256}",
        }
        for s in snaps
    ]


def _dhasil_events(election: Election, codes: list[str]) -> list[dict]:
    recs = ChangeRecord.objects.filter(election_slug=election.slug, code__in=codes, subject__startswith="recap.")
    return [{"time": r.occurred_at.isoformat(), "kind": r.action, "code": r.code, "text": _audit_text(r)} for r in recs]


def _audit_text(r: ChangeRecord) -> str:
    """One audit record in words: who, and the numbers (or the photo's hash) after the change."""
    after = r.after if isinstance(r.after, dict) else {}
    parts = [f"{label(r.action)} oleh {r.actor or 'sistem'}"]
    if after.get("votes"):
        parts.append(format_votes(after["votes"]))
    if after.get("sha256"):
        parts.append(f"sha256 {after['sha256']}")
    return ": ".join(parts[:2]) + (f", {', '.join(parts[2:])}" if len(parts) > 2 else "")


TIMELINE_SOURCES: list[Callable[[Election, list[str]], list[dict]]] = [
    _submission_events,
    _photo_events,
    _snapshot_events,
    _dhasil_events,
]
NOT_YET = ["check-in saksi di TPS", "laporan kejadian (kecurangan)"]  # shown until a source exists


def timeline(election: Election, codes: list[str]) -> list[dict]:
    events = []
    for source in TIMELINE_SOURCES:
        events += source(election, codes)
    return sorted(events, key=lambda e: (e["time"], e["kind"], e["code"]))


# --- gathering --------------------------------------------------------------------------------


def subject_for_tps(election: Election, code: str) -> Subject:
    ds = list(Discrepancy.objects.filter(election=election, code=code))
    return Subject(election, place_name(code), "tps", code, tps_codes=[code], discrepancies=ds)


def subject_for_region(election: Election, code: str) -> Subject:
    ds = list(Discrepancy.objects.filter(election=election, code=code))
    children = list(DHasil.objects.filter(election=election, code__startswith=code).values_list("code", flat=True))
    return Subject(
        election, place_name(code), "region", code, region_codes=sorted({code, *children}), discrepancies=ds
    )


def subject_for_discrepancy(d: Discrepancy) -> Subject:
    if d.is_tps:
        s = subject_for_tps(d.election, d.code)
    else:
        s = subject_for_region(d.election, d.code)
    s.kind, s.title = "discrepancy", f"Selisih {label(d.step)} — {place_name(d.code)}"
    s.discrepancies = [d] + [x for x in s.discrepancies if x.pk != d.pk]
    return s


def _numbers(subject: Subject) -> dict:
    from kawaltps.results.models import TpsResult

    e = subject.election
    results = TpsResult.objects.filter(election=e, code__in=subject.tps_codes)
    return {
        "tps": {
            code: {
                r.source: {
                    "state": r.state,
                    "votes": r.votes,
                    "valid": r.valid,
                    "invalid": r.invalid,
                    "total": r.total,
                    "version": r.version,
                    "numbers": r.numbers,
                }
                for r in results
                if r.code == code
            }
            for code in subject.tps_codes
        },
        "dhasil": {
            d.code: {
                "tier": d.tier,
                "votes": d.votes,
                "valid": d.valid,
                "invalid": d.invalid,
                "source": d.source,
                "updated_at": d.updated_at.isoformat(),
            }
            for d in DHasil.objects.filter(election=e, code__in=subject.region_codes)
        },
        "discrepancies": [
            {
                "id": d.pk,
                "key": d.key,
                "step": d.step,
                "code": d.code,
                "deltas": d.deltas,
                "ours": d.ours,
                "official": d.official,
                "votes_moved": d.votes_moved,
                "gained": d.gained,
                "detail": d.detail,
            }
            for d in subject.discrepancies
        ],
    }


def read_stored_photo(name: str, stored_sha256: str) -> tuple[bytes | None, str]:
    """The photo's bytes from storage if they still have the SHA-256 stored at upload.

    Returns (bytes, "") when they match, else (None, reason): ``hilang`` (not in storage) or
    ``berubah`` (bytes differ from the stored hash: the file was replaced or damaged after upload).
    """
    try:
        with default_storage.open(name, "rb") as f:
            data = f.read()
    except (FileNotFoundError, OSError):
        return None, "hilang"
    if sha256(data) != stored_sha256:
        return None, "berubah"
    return data, ""


PHOTO_PROBLEM_TEXT = {
    "hilang": "foto tidak ada lagi di penyimpanan",
    "berubah": "isi foto di penyimpanan berbeda dari SHA-256 saat diunggah (tidak dimasukkan)",
}


def _photo_files(subject: Subject) -> tuple[list[tuple[str, bytes]], list[dict], list[dict], list[dict]]:
    """(zip entries, photo records, photo problems, images for the PDF) of the subject's photos."""
    from kawaltps.results.models import Photo

    e, codes = subject.election, subject.tps_codes
    files, photos, problems, images = [], [], [], []

    def take(path: str, stored: str, name: str, record: dict, caption: str) -> None:
        data, problem = read_stored_photo(name, stored)
        if problem:
            problems.append({**record, "path": path, "stored_sha256": stored, "problem": problem,
                             "text": PHOTO_PROBLEM_TEXT[problem]})  # fmt: skip
            return
        files.append((path, data))
        photos.append({**record, "path": path, "sha256": stored, "stored_sha256": stored})
        images.append({"path": path, "caption": caption, "data": data})

    for p in Photo.objects.filter(result__election=e, result__code__in=codes).select_related("result"):
        ext = p.file.name.rsplit(".", 1)[-1] if "." in p.file.name else "bin"
        who = {"witness": "saksi", "official": "resmi"}.get(p.result.source, p.result.source)
        path = f"foto/saksi/{p.result.code}-{who}-hal{p.page}-{p.sha256[:12]}.{ext}"
        record = {
            "code": p.result.code,
            "page": p.page,
            "source": p.result.source,
            "exif_time": p.exif_time.isoformat() if p.exif_time else None,
            "uploaded_at": p.created_at.isoformat(),
        }
        caption = f"C.Hasil {place_name(p.result.code)}, halaman {p.page} — {label(p.result.source)}"
        take(path, p.sha256, p.file.name, record, caption)
    for d in DHasil.objects.filter(election=e, code__in=subject.region_codes).prefetch_related("photos"):
        for p in d.photos.all():
            path = f"foto/dhasil/{d.code}-{p.sha256[:12]}.{p.file.name.rsplit('.', 1)[-1]}"
            record = {"dhasil": d.code, "tier": d.tier, "uploaded_at": p.created_at.isoformat()}
            take(path, p.sha256, p.file.name, record, f"D.Hasil {place_name(d.code)}")
    return files, photos, problems, images


def _files(subject: Subject) -> tuple[list[tuple[str, bytes]], dict, list[dict]]:
    """(path, bytes) of the photos and Sirekap versions, the history, and the images for the PDF."""
    from kawaltps.results.models import Submission

    e, codes = subject.election, subject.tps_codes
    files, photos, photo_problems, images = _photo_files(subject)
    snaps = []
    for i, s in enumerate(
        SirekapSnapshot.objects.filter(election=e, code__in=codes).order_by("code", "fetched_at", "id"), start=1
    ):
        data = bytes(s.raw_bytes) if s.raw_bytes else canonical(s.raw)
        path = f"sirekap/{s.code}-{i:02d}.json"
        files.append((path, data))
        snaps.append(
            {
                "path": path,
                "sha256": sha256(data),
                "sirekap_sha256": s.sha256,
                "code": s.code,
                "fetched_at": s.fetched_at.isoformat(),
                "sirekap_ts": s.sirekap_ts.isoformat() if s.sirekap_ts else None,
                "votes": s.votes,
                "changed": s.changed,
                "source": s.source,
                "images": s.images,
            }
        )
    all_codes = codes + subject.region_codes
    history = {
        "audit": [
            {
                "time": r.occurred_at.isoformat(),
                "actor": r.actor,
                "subject": r.subject,
                "object_id": r.object_id,
                "code": r.code,
                "action": r.action,
                "before": r.before,
                "after": r.after,
                "reason": r.reason,
            }
            for r in ChangeRecord.objects.filter(code__in=all_codes, election_slug__in=[e.slug, ""])
        ],
        "submissions": [
            {
                "time": s.created_at.isoformat(),
                "code": s.result.code,
                "source": s.result.source,
                "kind": s.kind,
                "client_id": s.client_id,
                "entered_by": s.entered_by.username if s.entered_by else None,
                "votes": s.votes,
                "numbers": s.numbers,
                "flags": s.flags,
                "note": s.note,
            }
            for s in Submission.objects.filter(result__election=e, result__code__in=codes).select_related(
                "result", "entered_by"
            )
        ],
        "sirekap": snaps,
        "photos": photos,
        "photo_problems": photo_problems,
    }
    return files, history, images


def _tps_table(election: Election, prefix: str) -> bytes:
    """CSV of every TPS under ``prefix``: official and witness votes per paslon (one query per source)."""
    from kawaltps.core.spreadsheet import csv_bytes
    from kawaltps.results.models import TpsResult

    numbers = sorted(election.candidates.values_list("number", flat=True))
    rows: dict[str, dict] = {}
    for code, source, state, votes in TpsResult.objects.filter(election=election, code__startswith=prefix).values_list(
        "code", "source", "state", "votes"
    ):
        rows.setdefault(code, {})[source] = (state, votes)
    table = [["kode_tps", *[f"resmi_{n}" for n in numbers], *[f"saksi_{n}" for n in numbers], "status_saksi"]]
    for code in sorted(rows):
        off = rows[code].get("official", ("", {}))[1]
        state, wit = rows[code].get("witness", ("", {}))
        table.append([code, *[off.get(str(n), "") for n in numbers], *[wit.get(str(n), "") for n in numbers],
                      state])
    return csv_bytes(table)


def build(subject: Subject) -> tuple[bytes, str]:
    """The ZIP bytes and its manifest hash; the manifest is signed with the organisation's key."""
    from .pdf import summary_pdf

    now = timezone.now()
    numbers = _numbers(subject)
    files, history, images = _files(subject)
    events = timeline(subject.election, subject.tps_codes + subject.region_codes)
    key = signing.public_info()
    meta = {
        "generator": GENERATOR,
        "created_at": now.isoformat(),
        "election": subject.election.slug,
        "election_name": subject.election.name,
        "subject": subject.kind,
        "code": subject.code,
        "title": subject.title,
        "signing_key_fingerprint": key["fingerprint"],
        "photo_problems": [
            {k: p.get(k) for k in ("path", "stored_sha256", "problem", "text")} for p in history["photo_problems"]
        ],
    }
    data_files = [
        ("data/angka.json", json.dumps(numbers, indent=1, ensure_ascii=False, default=str).encode()),
        ("data/riwayat.json", json.dumps(history, indent=1, ensure_ascii=False, default=str).encode()),
        (
            "data/linimasa.json",
            json.dumps({"events": events, "not_yet_recorded": NOT_YET}, indent=1, ensure_ascii=False).encode(),
        ),
    ]
    if len(subject.code) == 6:  # a kecamatan: the per-TPS numbers its recap should add up
        data_files.append(("data/tps_kecamatan.csv", _tps_table(subject.election, subject.code)))
    with translation.override("id"):  # the PDF is for Bawaslu: Indonesian whatever the user's language
        pdf = summary_pdf(subject, meta, numbers, history, events, NOT_YET, images, key)
    entries = [("ringkasan.pdf", pdf), *data_files, *files]
    listing = [{"path": p, "sha256": sha256(b), "size": len(b)} for p, b in entries]
    body = canonical({"dossier": meta, "files": listing})
    manifest_hash = sha256(body)
    manifest = json.dumps(
        {"dossier": meta, "files": listing, "manifest_sha256": manifest_hash, "signature": signing.sign(body)},
        indent=1,
        ensure_ascii=False,
    ).encode()
    buf = io.BytesIO()
    stamp = now.astimezone(datetime.UTC).timetuple()[:6]
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in [*entries, (MANIFEST, manifest)]:
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue(), manifest_hash
