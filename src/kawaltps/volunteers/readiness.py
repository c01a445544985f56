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

Each level is two GROUP BY queries on code prefixes (``regions.aggregation``): TPS by
``substr(code, 1, n)`` and volunteers by ``substr(kelurahan_id, 1, n)``. Results are cached for
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


def level_rows(election, level: Level, prefix: str = "", per_tps: int | None = None) -> list[dict]:
    """One row per region of ``level`` under ``prefix``: code, name, parent, tps, registered, trained,
    certified, target, gap, coverage (regions without TPS or volunteers included with zeros)."""
    per_tps = SAKSI_PER_TPS if per_tps is None else per_tps
    tps = {r["region"]: r["n"] for r in group_by_prefix(
        TPS.objects.filter(election=election, code__startswith=prefix), level, n=Count("id"))}
    vols = {r["region"]: r for r in group_by_prefix(
        Volunteer.objects.filter(kelurahan__code__startswith=prefix), level, code_field="kelurahan_id",
        registered=Count("id"), trained=Count("id", filter=Q(status__in=TRAINED)),
        certified=Count("id", filter=Q(status__in=CERTIFIED)))}
    rows = []
    for code, name, parent in (Region.objects.filter(level=level, code__startswith=prefix)
                               .values_list("code", "name", "parent_id").order_by("code")):
        v = vols.get(code, {})
        rows.append(_finish({"code": code, "name": name, "parent": parent, "level": int(level),
                             "tps": tps.get(code, 0), "registered": v.get("registered", 0),
                             "trained": v.get("trained", 0), "certified": v.get("certified", 0)}, per_tps))
    return rows


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
    by_level = {Level(lv).name.lower(): level_rows(election, Level(lv), prefix, per_tps) for lv in levels}
    region = Region.objects.filter(code=prefix).first() if prefix and prefix != "-" else None
    base = (by_level.get("kabkota") or by_level.get("kecamatan") or by_level.get("kelurahan")
            or level_rows(election, Level.KELURAHAN, prefix, per_tps))
    result = {
        "election": election.slug, "prefix": prefix if prefix != "-" else None, "saksi_per_tps": per_tps,
        "total": total_row(base, prefix, region.name if region else election.name, per_tps),
        "levels": by_level, "cache_key": key,
    }
    if key:
        cache.set(key, result, CACHE_SECONDS)
    return result
