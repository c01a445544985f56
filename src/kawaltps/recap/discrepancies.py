"""Load an election's numbers from the database into frames, run ``recap.engine``, keep the findings.

``recompute`` replaces the election's ``Discrepancy`` rows in one transaction, so the pages and the
``kawaltps discrepancies`` command always show one consistent run.
"""

from __future__ import annotations

import polars as pl
from django.db import transaction
from django.db.models import F, TextField
from django.db.models.functions import Cast, Coalesce

from kawaltps.elections.models import Election
from kawaltps.regions.models import TPS

from . import engine
from .models import DHasil, Discrepancy, SirekapSnapshot

WITNESS_STATES = ("verified", "final")


def numbers_of(election: Election) -> list[int]:
    return sorted(election.candidates.values_list("number", flat=True))


def _frame_from_json(rows: list[tuple], numbers: list[int], extra: dict | None = None) -> pl.DataFrame:
    """Rows of (code, votes JSON text, *extra) → votes frame; JSON decoded by Polars, not per row in Python."""
    names = ["code", "votes", *(extra or {})]
    schema = {"code": pl.Utf8, "votes": pl.Utf8, **(extra or {})}
    df = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    struct = pl.Struct({str(n): pl.Int64 for n in numbers})
    decoded = df.with_columns(pl.col("votes").str.json_decode(struct).alias("v"))
    return decoded.select(
        [
            pl.col("code"),
            *[pl.col("v").struct.field(str(n)).alias(f"c{n}") for n in numbers],
            *[pl.col(c) for c in names[2:]],
        ]
    )


def witness_frame(election: Election, states=WITNESS_STATES) -> pl.DataFrame:
    from kawaltps.results.models import TpsResult

    rows = list(
        TpsResult.objects.filter(election=election, source="witness", state__in=states)
        .annotate(t=Cast("votes", TextField()))
        .values_list("code", "t")
    )
    return _frame_from_json(rows, numbers_of(election))


def official_frame(election: Election) -> pl.DataFrame:
    from kawaltps.results.models import TpsResult

    rows = list(
        TpsResult.objects.filter(election=election, source="official")
        .annotate(t=Cast("votes", TextField()))
        .values_list("code", "t")
    )
    return _frame_from_json(rows, numbers_of(election))


def dhasil_frames(election: Election) -> dict[str, pl.DataFrame]:
    out = {}
    for tier in ("kecamatan", "kabkota", "provinsi"):
        rows = list(
            DHasil.objects.filter(election=election, tier=tier)
            .annotate(t=Cast("votes", TextField()))
            .values_list("code", "t")
        )
        if rows:
            out[tier] = _frame_from_json(rows, numbers_of(election))
    return out


def expected_frames(election: Election) -> dict[str, pl.DataFrame]:
    """How many children each parent should have: TPS per kecamatan, kecamatan per kota, kota per provinsi."""
    codes = pl.DataFrame(
        {"code": list(TPS.objects.filter(election=election).values_list("code", flat=True))}, schema={"code": pl.Utf8}
    )
    out = {}
    for tier, child, parent in (("kecamatan", 13, 6), ("kabkota", 6, 4), ("provinsi", 4, 2)):
        kids = codes.select(pl.col("code").str.slice(0, child)).unique()
        out[tier] = kids.group_by(pl.col("code").str.slice(0, parent)).agg(pl.len().alias("n_expected"))
    return out


def snapshot_frame(election: Election) -> pl.DataFrame:
    rows = list(
        SirekapSnapshot.objects.filter(election=election)
        .exclude(votes={})
        .annotate(t=Cast("votes", TextField()), seq=Coalesce("sirekap_ts", "fetched_at"))
        .order_by("code", "seq", "id")
        .values_list("code", "t", "seq", "id")
    )
    # rows come ordered; the engine's sort is stable, so equal timestamps keep insertion order
    return _frame_from_json(rows, numbers_of(election), {"seq": pl.Datetime("us", "UTC"), "id": pl.Int64}).drop("id")


def compute(election: Election, *, include_entered: bool = False) -> tuple[list[dict], dict]:
    """Every finding of the election as plain records (not saved), and a summary."""
    numbers = numbers_of(election)
    states = (*WITNESS_STATES, "entered") if include_entered else WITNESS_STATES
    found, summary = engine.find_all(
        numbers,
        witness=witness_frame(election, states),
        official=official_frame(election),
        dhasil=dhasil_frames(election),
        expected=expected_frames(election),
        snapshots=snapshot_frame(election),
    )
    records = []
    for step in engine.STEPS:
        if step in found:
            records += engine.as_records(found[step], numbers)
    return records, summary


@transaction.atomic
def recompute(election: Election, *, include_entered: bool = False) -> tuple[list[Discrepancy], dict]:
    """Replace the election's stored findings with a fresh run."""
    records, summary = compute(election, include_entered=include_entered)
    Discrepancy.objects.filter(election=election).delete()
    objs = [
        Discrepancy(
            election=election,
            step=r["step"],
            code=r["code"],
            is_tps=len(r["code"]) == 13,
            deltas=r["deltas"],
            ours=r["ours"],
            official=r["official"],
            votes_moved=r["votes_moved"],
            gained=r["gained"],
            detail={**r["detail"], "include_entered": include_entered},
        )
        for r in records
    ]
    Discrepancy.objects.bulk_create(objs, batch_size=2000)
    return objs, summary


def ranked(election: Election, *, step: str | None = None, prefix: str = ""):
    qs = Discrepancy.objects.filter(election=election)
    if step:
        qs = qs.filter(step=step)
    if prefix:
        qs = qs.filter(code__startswith=prefix)
    return qs.order_by(F("votes_moved").desc(), "step", "code")


def as_dict(d: Discrepancy) -> dict:
    """One discrepancy as the API and ``kawaltps discrepancies --json`` give it (``tps`` or ``region``
    names its code)."""
    return {
        ("tps" if d.is_tps else "region"): d.code,
        "step": d.step,
        "deltas": d.deltas,
        "votes_moved": d.votes_moved,
        "gained": d.gained,
        "ours": d.ours,
        "official": d.official,
    }
