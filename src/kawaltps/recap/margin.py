"""The margin report: official and our totals, the 50 % + 1 line, the findings' impact on it
(``kawaltps margin``, ``/rekap/margin/``, ``GET /api/recap/margin``). Formulas: :mod:`recap.impact`."""

from __future__ import annotations

import polars as pl

from kawaltps.elections.models import Election

from . import impact
from .discrepancies import official_outcome, our_outcome
from .models import Discrepancy


def findings_frame(election: Election, prefix: str = "") -> pl.DataFrame:
    """The stored findings' code, step and impact (one query, no row objects)."""
    qs = Discrepancy.objects.filter(election=election)
    if prefix:
        qs = qs.filter(code__startswith=prefix)
    rows = list(qs.values_list("code", "step", "impact_line", "impact_margin", "votes_moved"))
    schema = {
        "code": pl.Utf8,
        "step": pl.Utf8,
        "impact_line": pl.Int64,
        "impact_margin": pl.Int64,
        "votes_moved": pl.Int64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def report(election: Election, *, prefix: str = "", top: int = 20) -> dict:
    """``{election, official, ours, line, findings: {...crossing}, by_step, by_kabkota, by_kecamatan}``:
    totals from :func:`official_outcome` / :func:`our_outcome`, impact from the stored findings (run
    ``kawaltps discrepancies`` first). ``prefix`` narrows the findings (and the regions) to a region."""
    official = official_outcome(election)
    ours = our_outcome(election)
    rows = findings_frame(election, prefix)
    by_step = (
        rows.group_by("step")
        .agg(
            pl.len().alias("n"), pl.col("impact_line").sum(), pl.col("impact_margin").sum(), pl.col("votes_moved").sum()
        )
        .sort("step")
    )
    return {
        "election": election.slug,
        "region": prefix,
        "official": official,
        "ours": ours,
        "findings": {"n": rows.height, **impact.crossing(official, rows)},
        "by_step": by_step.to_dicts(),
        "by_kabkota": impact.by_region(rows, 4).head(top).to_dicts(),
        "by_kecamatan": impact.by_region(rows, 6).head(top).to_dicts(),
    }
