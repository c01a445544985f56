"""Adding up by code prefix: the shared helper every tabulation uses.

A region's total is the sum over the TPS whose code starts with the region's code, so a level is
one GROUP BY on ``substr(code, 1, n)`` with n = 2, 4, 6 or 10.
"""

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Substr

from .codes import PREFIX_LENGTH, Level


def prefix_length(level: Level | int) -> int:
    return PREFIX_LENGTH[Level(level)]


def group_by_prefix(qs: QuerySet, level: Level | int, code_field: str = "code", **aggregates) -> QuerySet:
    """``qs`` grouped by the level's code prefix: rows of ``{"region": code, **aggregates}``.

    Example: ``group_by_prefix(TPS.objects.filter(election=e), Level.KECAMATAN, dpt=Sum("dpt"))``.
    """
    n = prefix_length(level)
    return (qs.annotate(region=Substr(code_field, 1, n)).values("region")
            .annotate(**aggregates).order_by("region"))


def with_names(rows, level: Level | int) -> list[dict]:
    """Add each row's region ``name`` (one query for the level)."""
    from .models import Region

    rows = list(rows)
    names = dict(Region.objects.filter(code__in=[r["region"] for r in rows]).values_list("code", "name"))
    return [{**r, "name": names.get(r["region"], "")} for r in rows]


def child_tps_stats(election, region) -> dict[str, dict]:
    """TPS count and DPT of each child of ``region`` in ``election``: ``{child code: {"tps", "dpt"}}``."""
    from .models import TPS

    rows = group_by_prefix(TPS.objects.filter(election=election, code__startswith=region.code),
                           region.level + 1, tps=Count("id"), dpt=Sum("dpt"))
    return {r["region"]: {"tps": r["tps"], "dpt": r["dpt"] or 0} for r in rows}
