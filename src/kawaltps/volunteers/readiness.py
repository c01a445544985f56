"""Readiness: for every kota, kecamatan and kelurahan, TPS against volunteers and the gap.

Definitions (counted from the volunteers' home kelurahan, whose code prefixes give every level):

- ``tps``: the election's TPS in the region.
- ``registered``: every volunteer in the registry; ``trained``: status trained, certified or
  assigned (training done); ``certified``: status certified or assigned (may serve as saksi).
- ``target`` = ``tps`` × ``SAKSI_PER_TPS``; ``gap`` = max(0, target − certified); ``coverage`` =
  min(1, certified / target). ``SAKSI_PER_TPS`` defaults to 2 (settings
  ``VOLUNTEERS_SAKSI_PER_TPS`` or environment ``KAWALTPS_SAKSI_PER_TPS``): a TPS day runs from
  07.00 to the end of counting late at night, so one saksi relieves the other and one can
  photograph the C.Hasil while the other watches; the law allows up to 2 per paslon (DOMAIN.md).

Two GROUP BY queries on code prefixes (``regions.aggregation``) give the kelurahan counts: TPS by
``substr(code, 1, 10)`` and volunteers by ``substr(kelurahan_id, 1, 10)``; kecamatan and kota are
rolled up from them by code prefix in Python (267 rows for Jakarta). Results are cached for
``CACHE_SECONDS`` under a key that includes a fingerprint of the volunteer table (row count and
latest ``updated_at``) and the TPS count, so any change shows at once.
"""

import os

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q

from kawaltps.regions.aggregation import group_by_prefix
from kawaltps.regions.codes import Level
from kawaltps.regions.models import TPS, Region

from .models import Volunteer

SAKSI_PER_TPS = int(getattr(settings, "VOLUNTEERS_SAKSI_PER_TPS", os.environ.get("KAWALTPS_SAKSI_PER_TPS", 2)))
CACHE_SECONDS = 300
LEVELS = [Level.KABKOTA, Level.KECAMATAN, Level.KELURAHAN]
S = Volunteer.Status
TRAINED = [S.TRAINED, S.CERTIFIED, S.ASSIGNED]
CERTIFIED = [S.CERTIFIED, S.ASSIGNED]


def _finish(row: dict, per_tps: int) -> dict:
    target = row["tps"] * per_tps
    row["target"] = target
    row["gap"] = max(0, target - row["certified"])
    row["coverage"] = round(min(1.0, row["certified"] / target), 3) if target else (1.0 if row["certified"] else 0.0)
    return row


def _kelurahan_counts(election, prefix: str) -> tuple[dict, dict]:
    """Two GROUP BY queries at kelurahan level: TPS per kelurahan, volunteer counts per kelurahan."""
    tps = {r["region"]: r["n"] for r in group_by_prefix(
        TPS.objects.filter(election=election, code__startswith=prefix), Level.KELURAHAN, n=Count("id"))}
    vols = {r["region"]: r for r in group_by_prefix(
        Volunteer.objects.filter(kelurahan__code__startswith=prefix), Level.KELURAHAN, code_field="kelurahan_id",
        registered=Count("id"), trained=Count("id", filter=Q(status__in=TRAINED)),
        certified=Count("id", filter=Q(status__in=CERTIFIED)))}
    return tps, vols


def _rows(levels: list[Level], prefix: str, counts: tuple[dict, dict], per_tps: int) -> dict[Level, list[dict]]:
    """Rows for each level, rolled up from the kelurahan counts by code prefix (every ancestor is a prefix)."""
    tps, vols = counts
    out: dict[Level, list[dict]] = {}
    regions = list(Region.objects.filter(level__in=levels, code__startswith=prefix)
                   .values_list("code", "name", "parent_id", "level").order_by("code"))
    for level in levels:
        n = {Level.KABKOTA: 4, Level.KECAMATAN: 6, Level.KELURAHAN: 10}[level]
        sums: dict[str, list[int]] = {}
        for kel, count in tps.items():
            sums.setdefault(kel[:n], [0, 0, 0, 0])[0] += count
        for kel, v in vols.items():
            acc = sums.setdefault(kel[:n], [0, 0, 0, 0])
            acc[1] += v["registered"]
            acc[2] += v["trained"]
            acc[3] += v["certified"]
        out[level] = [_finish({"code": code, "name": name, "parent": parent, "level": int(level),
                               **dict(zip(["tps", "registered", "trained", "certified"],
                                          sums.get(code, [0, 0, 0, 0]), strict=True))}, per_tps)
                      for code, name, parent, lv in regions if lv == level]
    return out


def level_rows(election, level: Level, prefix: str = "", per_tps: int | None = None) -> list[dict]:
    """One row per region of ``level`` under ``prefix``: code, name, parent, tps, registered, trained,
    certified, target, gap, coverage (regions without TPS or volunteers included with zeros)."""
    per_tps = SAKSI_PER_TPS if per_tps is None else per_tps
    return _rows([Level(level)], prefix, _kelurahan_counts(election, prefix), per_tps)[Level(level)]


def total_row(rows: list[dict], code: str, name: str, per_tps: int | None = None) -> dict:
    per_tps = SAKSI_PER_TPS if per_tps is None else per_tps
    total = {"code": code, "name": name, "level": None}
    for key in ("tps", "registered", "trained", "certified"):
        total[key] = sum(r[key] for r in rows)
    return _finish(total, per_tps)


def _fingerprint(election, prefix: str) -> str:
    v = Volunteer.objects.filter(kelurahan__code__startswith=prefix).aggregate(n=Count("id"), t=Max("updated_at"))
    return f"{v['n']}:{v['t'].timestamp() if v['t'] else 0}:{TPS.objects.filter(election=election).count()}"


def readiness(election, prefix: str = "", levels: list[Level] | None = None, per_tps: int | None = None,
              use_cache: bool = True) -> dict:
    """Readiness of ``election`` under region ``prefix`` ('' = the whole election) for ``levels``.

    Returns ``{"election", "prefix", "saksi_per_tps", "total", "levels": {"kabkota"|…: rows}, "cache_key"}``
    (``cache_key`` lets a page cache what it renders from this answer under the same fingerprint).
    """
    per_tps = SAKSI_PER_TPS if per_tps is None else per_tps
    scope = election.scope_id or ""
    if prefix and scope and not prefix.startswith(scope):
        if not scope.startswith(prefix):
            prefix = "-"  # outside the election: nothing
        else:
            prefix = scope
    prefix = prefix or scope
    levels = [lv for lv in (levels or LEVELS) if len(prefix) < {2: 4, 3: 6, 4: 10}[int(lv)]]
    key = None
    if use_cache:
        key = (f"volunteers:readiness:{election.pk}:{prefix}:{per_tps}:{','.join(str(int(x)) for x in levels)}:"
               f"{_fingerprint(election, prefix)}")
        hit = cache.get(key)
        if hit is not None:
            return hit
    counts = _kelurahan_counts(election, prefix)
    rows = _rows([Level(lv) for lv in levels] or [Level.KELURAHAN], prefix, counts, per_tps)
    by_level = {lv.name.lower(): rows[lv] for lv in rows if lv in levels}
    region = Region.objects.filter(code=prefix).first() if prefix and prefix != "-" else None
    base = next(iter(rows.values()))
    result = {
        "election": election.slug, "prefix": prefix if prefix != "-" else None, "saksi_per_tps": per_tps,
        "total": total_row(base, prefix, region.name if region else election.name, per_tps),
        "levels": by_level, "cache_key": key,
    }
    if key:
        cache.set(key, result, CACHE_SECONDS)
    return result
