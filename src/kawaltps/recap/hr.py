"""KPU's published recapitulation pages (``hr``) as D.Hasil: fetched or imported, so they need not be typed.

Source: ``../shared/DOMAIN.md`` names the path ``/pilkada/hr/pkwkp/{prov}.json`` (presidential:
``/pemilu/hr/ppwp/{prov}.json``) and nothing of its content. **Assumed format** (by analogy with the
``hhcw`` region pages of the same site; to be checked against a real page when the site is reachable)::

    {"mode": "hr", "ts": "2024-12-08 15:00:00",
     "tungsura": {"chart": {"1000023": 1718160, "1000024": 459230, "1000025": 2183239},
                  "administrasi": {"pemilih_dpt_j": 8214007, "pengguna_total_j": 4724393,
                                   "surat_suara_digunakan": 4724393, "suara_sah": 4360629,
                                   "suara_tidak_sah": 363764},
                  "table": {"3171": {"1000023": ..., "pemilih_dpt_j": ..., "suara_sah": ..., ...}, ...}}}

``mode`` must be ``hr``; ``chart`` (or a top-level ``chart``, as on presidential pages) carries the paslon
totals of the D.Hasil; ``administrasi`` and every ``table`` row's non-candidate keys are optional (null
allowed); ``table`` is the form's rows, one per child region (kab/kota in a province's page). The page's
tier is its code's length (2 provinsi, 4 kab/kota, 6 kecamatan).

Rules (:func:`store_hr`):
- Every version is kept as an ``HrSnapshot`` with its original bytes and SHA-256 (same bytes again:
  ``unchanged``, only ``last_seen_at`` moves), like Sirekap's TPS pages.
- Its numbers become the region's D.Hasil through ``dhasil.save_dhasil`` (same checks, same audit
  record; source ``sirekap-hr``), so a page whose rows do not add up, an unknown region or an unknown
  row region is refused with its reason and nothing of it is stored.
- A D.Hasil typed from the paper form that differs from the page is **not** replaced (the paper is
  the evidence): the version is kept, its status is ``entered_differs`` with the reason.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from kawaltps.elections.models import Election
from kawaltps.regions.models import Region

from .dhasil import CHILD_LENGTH, DHasilError, save_dhasil
from .models import TIER_CODE_LENGTH, DHasil, HrSnapshot, Tier
from .sirekap import _DIGITS, SirekapError, _int, _ts, parse_chart

SOURCE = "sirekap-hr"
TIER_OF_LENGTH = {n: t for t, n in TIER_CODE_LENGTH.items()}
ADMIN_KEYS = {"dpt": "pemilih_dpt_j", "voters": "pengguna_total_j", "ballots_used": "surat_suara_digunakan",
              "valid": "suara_sah", "invalid": "suara_tidak_sah"}


@dataclass
class ParsedHr:
    code: str
    tier: Tier
    votes: dict[str, int]
    admin: dict[str, int | None] = field(default_factory=dict)
    children: dict[str, dict] = field(default_factory=dict)
    ts: datetime.datetime | None = None
    raw: dict = field(default_factory=dict)
    raw_bytes: bytes = b""
    sha256: str = ""


def hr_path(code: str, race: str = "pkwkp", pilkada: bool = True) -> str:
    """``pilkada/hr/pkwkp/31.json`` (a kab/kota or kecamatan page, if KPU publishes one: ``31/3175.json``)."""
    parts = [code[:c] for c in (2, 4, 6) if c <= len(code)]
    return f"{'pilkada' if pilkada else 'pemilu'}/hr/{race}/{'/'.join(parts)}.json"


def is_hr_page(doc: dict) -> bool:
    return isinstance(doc, dict) and doc.get("mode") == "hr"


def _admin(values: dict, where: str) -> dict[str, int | None]:
    if values is None:
        return dict.fromkeys(ADMIN_KEYS)
    if not isinstance(values, dict):
        raise SirekapError(f"'{where}' bukan objek")
    return {f: _int(values.get(key), f"{where} '{key}'", allow_null=True) for f, key in ADMIN_KEYS.items()}


def parse_hr(doc: dict, key_map: dict[str, int], code: str, raw_bytes: bytes) -> ParsedHr:
    """One ``hr`` page (format in the module docstring) → :class:`ParsedHr`, or SirekapError (Indonesian)."""
    if not is_hr_page(doc):
        raise SirekapError("bukan halaman rekapitulasi KPU ('mode' bukan \"hr\")")
    tier = TIER_OF_LENGTH.get(len(code)) if _DIGITS.match(code or "") else None
    if tier is None:
        raise SirekapError(f"kode di nama berkas bukan kode provinsi, kab/kota, atau kecamatan: {code!r}")
    inner = doc.get("tungsura") if isinstance(doc.get("tungsura"), dict) else doc
    if inner.get("chart") is None:
        raise SirekapError("halaman hr tanpa angka paslon ('tungsura.chart' kosong atau tidak ada)")
    votes = parse_chart(inner["chart"], key_map, where="tungsura.chart")
    table = inner.get("table") or {}
    if not isinstance(table, dict):
        raise SirekapError("'table' bukan objek")
    children: dict[str, dict] = {}
    for child, row in table.items():
        if not isinstance(row, dict):
            raise SirekapError(f"baris 'table' {child} bukan objek")
        picked = {k: v for k, v in row.items() if _DIGITS.match(str(k))}
        others = {k: v for k, v in row.items() if not _DIGITS.match(str(k))}
        children[str(child)] = {"votes": parse_chart(picked, key_map, where=f"table.{child}"),
                                **_admin(others, f"table.{child}")}
    return ParsedHr(code=code, tier=tier, votes=votes, admin=_admin(inner.get("administrasi"), "administrasi"),
                    children=children, ts=_ts(doc.get("ts")), raw=doc, raw_bytes=raw_bytes,
                    sha256=hashlib.sha256(raw_bytes).hexdigest())


def _check_regions(election: Election, parsed: ParsedHr) -> None:
    codes = [parsed.code, *parsed.children]
    known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    if parsed.code not in known:
        raise DHasilError(f"wilayah {parsed.code} tidak dikenal; halaman hr tidak disimpan")
    unknown = sorted(c for c in parsed.children if c not in known)
    if unknown:
        raise DHasilError(f"baris wilayah tidak dikenal di halaman hr {parsed.code}: {', '.join(unknown[:10])}; "
                          "halaman hr tidak disimpan")
    length = CHILD_LENGTH[parsed.tier]
    wrong = sorted(c for c in parsed.children if len(c) != length or not c.startswith(parsed.code))
    if wrong:
        raise DHasilError(f"baris {', '.join(wrong[:10])} bukan wilayah di bawah {parsed.code}; "
                          "halaman hr tidak disimpan")


def store_hr(election: Election, parsed: ParsedHr, *, source: str = "", actor: str = "fetch-sirekap",
             fetched_at: datetime.datetime | None = None) -> tuple[str, str]:
    """Keep the version and make it the D.Hasil (rules in the module docstring): ``(status, reason)`` with
    status ``new``, ``changed``, ``unchanged``, ``entered_differs`` or ``error`` (nothing stored)."""
    now = fetched_at or timezone.now()
    same = HrSnapshot.objects.filter(election=election, code=parsed.code, sha256=parsed.sha256)
    if same.exists():
        same.update(last_seen_at=now)
        return "unchanged", ""
    try:
        with transaction.atomic():
            _check_regions(election, parsed)
            earlier = HrSnapshot.objects.filter(election=election, code=parsed.code).exists()
            current = DHasil.objects.filter(election=election, code=parsed.code).first()
            snap = HrSnapshot.objects.create(
                election=election, code=parsed.code, tier=parsed.tier, fetched_at=now, last_seen_at=now,
                sirekap_ts=parsed.ts, source=source[:500], raw=parsed.raw, raw_bytes=parsed.raw_bytes,
                sha256=parsed.sha256)
            if current is not None and not current.source.startswith(SOURCE) and current.votes != parsed.votes:
                return "entered_differs", (
                    f"D.Hasil {parsed.code} sudah dientri dari formulir dan berbeda dengan halaman hr KPU; "
                    "D.Hasil tidak diganti, versi halaman hr disimpan sebagai bukti")
            obj = save_dhasil(election, parsed.tier, parsed.code, parsed.votes, **parsed.admin,
                              children=parsed.children or None, source=f"{SOURCE} {parsed.sha256[:12]}",
                              actor=actor)
            snap.dhasil = obj
            snap.save(update_fields=["dhasil"])
    except DHasilError as exc:
        return "error", str(exc)
    return ("changed" if earlier else "new"), ""
