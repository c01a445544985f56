"""Election-day outcomes as Bimtek measures (``analytics.bimtek.MEASURES``): does training show?

Each function is ``(election, within) -> Polars frame[user_id, hit]``, one row per observation:

- ``checkin_on_time``: each saksi's first check-in at their TPS; hit = before 07.00 WIB on voting
  day (the saksi must hand in the mandate before the session opens). Higher is better.
- ``checklist_complete``: for each saksi who checked in, each required item of the election's
  checklist; hit = answered. Higher is better.
- ``incident_evidence``: each incident a saksi reported; hit = at least one photo or video attached.
  Higher is better.
"""

import datetime
from zoneinfo import ZoneInfo

import polars as pl
from django.db.models import Count, Min
from django.utils.translation import gettext_lazy as _

from . import checklist
from .models import CheckIn, ChecklistAnswer, Incident

WIB = ZoneInfo("Asia/Jakarta")
SCHEMA = {"user_id": pl.Int64, "hit": pl.Int8}


def checkin_on_time(election, within: str = "") -> pl.DataFrame:
    opens = datetime.datetime.combine(election.date, datetime.time(7, 0), tzinfo=WIB)
    rows = (CheckIn.objects.filter(election=election, tps_code__startswith=within).values("user_id", "tps_code")
            .annotate(first=Min("at")).values_list("user_id", "first"))
    return pl.DataFrame([(u, int(t <= opens)) for u, t in rows], schema=SCHEMA, orient="row")


def checklist_complete(election, within: str = "") -> pl.DataFrame:
    required = [i.key for i in checklist.items_for(election) if i.required]
    users = pl.DataFrame({"user_id": list(CheckIn.objects.filter(election=election, tps_code__startswith=within)
                                          .values_list("user_id", flat=True).distinct())},
                         schema={"user_id": pl.Int64})
    answered = pl.DataFrame(list(ChecklistAnswer.objects.filter(election=election, tps_code__startswith=within,
                                                                item_key__in=required)
                                 .values_list("user_id", "item_key").distinct()),
                            schema={"user_id": pl.Int64, "item_key": pl.String}, orient="row")
    grid = users.join(pl.DataFrame({"item_key": required}), how="cross")
    return (grid.join(answered.with_columns(pl.lit(1, pl.Int8).alias("hit")), on=["user_id", "item_key"], how="left")
            .select("user_id", pl.col("hit").fill_null(0).cast(pl.Int8)))


def incident_evidence(election, within: str = "") -> pl.DataFrame:
    rows = (Incident.objects.filter(election=election, tps_code__startswith=within)
            .annotate(n=Count("evidence")).values_list("user_id", "n"))
    return pl.DataFrame([(u, int(n > 0)) for u, n in rows], schema=SCHEMA, orient="row")


def register() -> None:
    """Add the measures to ``analytics.bimtek.MEASURES`` (when the analytics app is installed)."""
    from django.apps import apps

    if not apps.is_installed("kawaltps.analytics"):
        return
    from kawaltps.analytics import bimtek

    bimtek.MEASURES.setdefault("checkin_on_time", (_("Check-in saksi sebelum pukul 07.00"), True, checkin_on_time))
    bimtek.MEASURES.setdefault("checklist_complete", (_("Butir wajib daftar periksa yang dijawab"), True,
                                                      checklist_complete))
    bimtek.MEASURES.setdefault("incident_evidence", (_("Laporan kejadian dengan foto/video bukti"), True,
                                                     incident_evidence))
