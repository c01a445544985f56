"""Reading KPU's Sirekap publication (2024) in its real shapes. Pure functions, no database.

Shapes (``../shared/data/README.md`` and ``../shared/DOMAIN.md``):

- Presidential TPS page ``pemilu/hhcw/ppwp/{prov}/{kab}/{kec}/{kel}/{tps}.json``::

    {"chart": {"100025": int, "100026": int, "100027": int} | null,
     "images": [url | null, url | null, url | null],
     "administrasi": {"suara_sah", "suara_tidak_sah", "suara_total", "pemilih_dpt_j", ...} | null,
     "psu": null | str, "ts": "YYYY-MM-DD HH:MM:SS", "status_suara": bool, "status_adm": bool}

- Pilkada TPS page ``pilkada/hhcw/pkwkp/{prov}/.../{tps}.json``: the same, except that the votes and
  the administrative numbers sit under ``tungsura``: ``{"tungsura": {"chart": {...},
  "administrasi": {...}}, "images": [...], "psu", "status_suara", "status_adm", "ts"}``.
- Region page ``.../hhcw/{race}/{code}.json`` (or ``{race}.json`` for the nation): ``chart`` (or
  ``tungsura.chart``) with the region's votes per candidate key plus ``progres``; ``table`` keyed by
  child code with each child's votes; ``progres`` ``{total, progres}``; ``ts``.

Candidate keys are KPU's ids (Jakarta 2024: 1000023/24/25; presidential: 100025/26/27), mapped to
ballot numbers through ``Candidate.sirekap_key``. A whole ``chart`` of ``null`` means the TPS has not
been processed yet (kept, without numbers). A null, a string, a negative or a fraction where a
candidate's number belongs, a number breaking the shared count rule (``core.numbers.parse_count``:
above 10^9, e.g. ``1e300``), an unknown candidate key, a missing key or malformed JSON is an error
with an Indonesian reason; the file is then not imported at all.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from kawaltps.core.numbers import NumberError, parse_count

WIB = ZoneInfo("Asia/Jakarta")  # Sirekap's ``ts`` is Jakarta time
ADMIN_NUMBERS = ("suara_sah", "suara_tidak_sah", "suara_total")
_TS_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")
_DIGITS = re.compile(r"^[0-9]+$")


class SirekapError(ValueError):
    """A file that cannot be imported; ``str(exc)`` is the reason in Indonesian."""


@dataclass
class ParsedTps:
    code: str
    votes: dict[str, int]  # {"1": n} by candidate number; {} while KPU has no numbers yet
    administrasi: dict[str, int | None]
    valid: int | None
    invalid: int | None
    total: int | None
    images: list[str | None]
    ts: datetime.datetime | None
    status_suara: bool | None
    status_adm: bool | None
    psu: str
    raw: dict
    sha256: str
    raw_bytes: bytes = b""


@dataclass
class ParsedRegion:
    code: str  # '' for the national page
    votes: dict[str, int]
    table: dict[str, dict[str, int]] = field(default_factory=dict)
    progress_done: int | None = None
    progress_total: int | None = None
    ts: datetime.datetime | None = None
    raw: dict = field(default_factory=dict)
    sha256: str = ""


def load_json(data: bytes) -> dict:
    """Decode a downloaded file; a truncated or invalid download raises :class:`SirekapError`."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise SirekapError("berkas bukan teks UTF-8") from None
    except json.JSONDecodeError as exc:
        raise SirekapError(f"JSON tidak sah atau terpotong (baris {exc.lineno}, kolom {exc.colno})") from None
    except (ValueError, RecursionError):  # an integer of more than 4,300 digits, or absurd nesting
        raise SirekapError("JSON berisi angka terlalu panjang atau susunan terlalu dalam") from None
    if not isinstance(doc, dict):
        raise SirekapError("isi berkas bukan objek JSON")
    return doc


def code_from_path(path: str) -> str:
    """The TPS or region code a Sirekap path names: its file stem when that is all digits, '' otherwise."""
    stem = PurePosixPath(str(path).replace("\\", "/")).name.removesuffix(".json")
    return stem if _DIGITS.match(stem) else ""


def _int(value, what: str, *, allow_null: bool = False) -> int | None:
    if value is None:
        if allow_null:
            return None
        raise SirekapError(f"{what} kosong (null)")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SirekapError(f"{what} bukan angka: {str(value)[:40]!r}")
    try:
        return parse_count(value, field=what)
    except NumberError as exc:
        raise SirekapError(str(exc)) from None


def _ts(value) -> datetime.datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise SirekapError(f"waktu 'ts' bukan teks: {value!r}")
    for fmt in _TS_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).replace(tzinfo=WIB)
        except ValueError:
            continue
    raise SirekapError(f"waktu 'ts' tidak dikenali: {value!r}")


def parse_chart(chart, key_map: dict[str, int], *, where: str = "chart") -> dict[str, int]:
    """``{"1000023": 25, ...}`` → ``{"1": 25, ...}``; ``progres``/``persen`` entries are ignored."""
    if chart is None:
        return {}
    if not isinstance(chart, dict):
        raise SirekapError(f"'{where}' bukan objek: {chart!r}")
    votes: dict[str, int] = {}
    for key, value in chart.items():
        if not _DIGITS.match(str(key)):
            continue  # progres, persen, ...
        if str(key) not in key_map:
            raise SirekapError(f"kunci paslon tidak dikenal di '{where}': {key}")
        number = key_map[str(key)]
        votes[str(number)] = _int(value, f"suara paslon {number:02d} ({key})")
    missing = sorted(n for k, n in key_map.items() if str(n) not in votes)
    if missing:
        raise SirekapError(f"suara paslon {', '.join(f'{n:02d}' for n in missing)} tidak ada di '{where}'")
    return votes


def parse_tps(doc: dict, key_map: dict[str, int], code: str, raw_bytes: bytes | None = None) -> ParsedTps:
    """One TPS page (presidential or Pilkada shape) → :class:`ParsedTps`, or :class:`SirekapError`."""
    if not isinstance(doc, dict):
        raise SirekapError("isi berkas bukan objek JSON")
    if "tungsura" in doc:
        inner = doc["tungsura"]
        if inner is None:
            inner = {"chart": None, "administrasi": None}
        if not isinstance(inner, dict):
            raise SirekapError("'tungsura' bukan objek")
        if "chart" not in inner:
            raise SirekapError("kunci 'tungsura.chart' tidak ada")
        chart, adm, where = inner.get("chart"), inner.get("administrasi"), "tungsura.chart"
    elif "chart" in doc:
        chart, adm, where = doc.get("chart"), doc.get("administrasi"), "chart"
    else:
        raise SirekapError("kunci 'chart' (atau 'tungsura.chart') tidak ada: bukan halaman TPS Sirekap")
    if "ts" not in doc:
        raise SirekapError("kunci 'ts' tidak ada")
    votes = parse_chart(chart, key_map, where=where)
    administrasi: dict[str, int | None] = {}
    if adm is not None:
        if not isinstance(adm, dict):
            raise SirekapError("'administrasi' bukan objek")
        for key, value in adm.items():
            administrasi[str(key)] = _int(value, f"administrasi '{key}'", allow_null=True)
    images = doc.get("images") or []
    if not isinstance(images, list) or not all(i is None or isinstance(i, str) for i in images):
        raise SirekapError("'images' harus daftar tautan (atau null)")
    for flag in ("status_suara", "status_adm"):
        if doc.get(flag) is not None and not isinstance(doc.get(flag), bool):
            raise SirekapError(f"'{flag}' bukan true/false: {doc.get(flag)!r}")
    psu = doc.get("psu")
    raw = raw_bytes if raw_bytes is not None else canonical_bytes(doc)
    return ParsedTps(
        code=code,
        votes=votes,
        administrasi=administrasi,
        valid=administrasi.get("suara_sah"),
        invalid=administrasi.get("suara_tidak_sah"),
        total=administrasi.get("suara_total"),
        images=images,
        ts=_ts(doc.get("ts")),
        status_suara=doc.get("status_suara"),
        status_adm=doc.get("status_adm"),
        psu="" if psu is None else str(psu)[:100],
        raw=doc,
        sha256=hashlib.sha256(raw).hexdigest(),
        raw_bytes=raw,
    )


def parse_region(doc: dict, key_map: dict[str, int], code: str, raw_bytes: bytes | None = None) -> ParsedRegion:
    """A region aggregate page (``chart``/``tungsura.chart`` + ``table`` + ``progres``)."""
    inner = doc.get("tungsura") if isinstance(doc.get("tungsura"), dict) else doc
    if "chart" not in inner and "table" not in inner:
        raise SirekapError("kunci 'chart'/'table' tidak ada: bukan halaman wilayah Sirekap")
    votes = parse_chart(inner.get("chart"), key_map)
    table: dict[str, dict[str, int]] = {}
    for child, row in (inner.get("table") or {}).items():
        if row is None:
            continue
        if not isinstance(row, dict):
            raise SirekapError(f"baris 'table' {child} bukan objek")
        picked = {k: v for k, v in row.items() if _DIGITS.match(str(k))}
        table[str(child)] = (
            parse_chart(picked, key_map, where=f"table.{child}") if any(v is not None for v in picked.values()) else {}
        )
    progres = doc.get("progres") or {}
    done = total = None
    if isinstance(progres, dict):
        done = _int(progres.get("progres"), "progres.progres", allow_null=True)
        total = _int(progres.get("total"), "progres.total", allow_null=True)
    raw = raw_bytes if raw_bytes is not None else canonical_bytes(doc)
    return ParsedRegion(
        code=code,
        votes=votes,
        table=table,
        progress_done=done,
        progress_total=total,
        ts=_ts(doc.get("ts")),
        raw=doc,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def is_tps_page(doc: dict) -> bool:
    """A TPS page has ``administrasi``/``images``/``status_suara``; a region page has ``table``."""
    inner = doc.get("tungsura") if isinstance(doc.get("tungsura"), dict) else doc
    return "table" not in inner


def canonical_bytes(doc: dict) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def tps_page(
    key_map_by_number: dict[int, str],
    votes: dict[str, int] | None,
    *,
    pilkada: bool = True,
    administrasi: dict | None = None,
    images: list | None = None,
    ts: str = "2024-11-28 10:00:00",
    status: bool = True,
) -> dict:
    """Build a TPS page in the real shape (used by the demo and tests): ``votes`` by candidate number."""
    chart = None if votes is None else {key_map_by_number[int(n)]: v for n, v in votes.items()}
    adm = administrasi
    page: dict = {
        "images": images or [None, None, None],
        "psu": None,
        "ts": ts,
        "status_suara": status,
        "status_adm": status,
    }
    if pilkada:
        page = {"mode": "tps", "tungsura": {"chart": chart, "administrasi": adm}, **page}
    else:
        page = {"chart": chart, "administrasi": adm, **page}
    return page


def race_path(code: str, race: str = "pkwkp", pilkada: bool = True) -> str:
    """The site path of a page, e.g. ``pilkada/hhcw/pkwkp/31/3174/317409/3174091001/3174091001012.json``."""
    cuts = [c for c in (2, 4, 6, 10, 13) if c <= len(code)]
    parts = [code[:c] for c in cuts]
    prefix = f"pilkada/hhcw/{race}" if pilkada else f"pemilu/hhcw/{race}"
    return f"{prefix}/{'/'.join(parts)}.json"


# Sirekap's ``administrasi`` keys → the C.Hasil form's keys (kawaltps.elections.form_types), so that
# KPU's numbers go through the same checks (results.checks) as a saksi's form. Presidential pages name
# the DPK voters ``pengguna_non_dpt_*``; other keys keep their name.
_ADMIN_PREFIXES = {"pemilih_dpt_": "dpt_", "pengguna_non_dpt_": "pengguna_dpk_"}


def form_numbers(administrasi: dict) -> dict[str, int]:
    """Sirekap ``administrasi`` → form field keys (``pemilih_dpt_j`` → ``dpt_j``, ``pengguna_non_dpt_l`` →
    ``pengguna_dpk_l``; ``pengguna_dpt_*``, ``pengguna_dptb_*``, ``pengguna_total_*``, ``suara_sah``,
    ``suara_tidak_sah``, ``suara_total`` as they are); missing values dropped."""
    out: dict[str, int] = {}
    for key, value in (administrasi or {}).items():
        if value is None:
            continue
        for prefix, form in _ADMIN_PREFIXES.items():
            if key.startswith(prefix):
                key = form + key[len(prefix) :]
                break
        out[key] = value
    return out
