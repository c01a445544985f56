"""The effect of findings on the outcome: the leader's 50 % + 1 line and the margin of the top two.

Jakarta's rule (UU 29/2007 Pasal 11, kept by UU 2/2024 on DKJ): a governor pair needs more than 50 %
of valid votes; in 2024 the winner cleared it by about 2,925 votes (DOMAIN.md). Every finding carries
``delta[n] = official − ours``. Undoing it gives the outcome our forms say:

```
line       = valid // 2 + 1                         (the fewest votes that are "more than 50 %")
surplus    = votes[leader] − line                   (≥ 0: the leader clears the line)
impact_line   = surplus(official) − surplus(official − delta)
              = d[leader] − (V//2 − (V − Σd)//2)    (votes of the surplus the finding gave the leader)
impact_margin = d[leader] − d[runner_up]            (votes of the top-two margin the finding gave)
```

Leader and runner-up are those of the official totals. A positive impact helped the leader. The
chain ``tps_sirekap`` + ``tps_kecamatan`` + ``kecamatan_kabkota`` + ``kabkota_provinsi`` goes from our
forms to the provincial recap without counting a vote twice (``tps_kecamatan_saksi`` restates the
first two for a kecamatan, ``sirekap_changed`` happens inside Sirekap), so only the chain is summed
when we ask whether the findings cross the line. All whole-frame expressions, no loop per finding.
"""

from __future__ import annotations

import polars as pl

CHAIN = ("tps_sirekap", "tps_kecamatan", "kecamatan_kabkota", "kabkota_provinsi")


def line(valid: int) -> int:
    """The fewest votes that are more than half of ``valid``."""
    return valid // 2 + 1


def outcome(votes: dict[int, int]) -> dict:
    """Totals per paslon → ``{votes, valid, leader, runner_up, line, surplus, margin}`` (valid = Σ paslon)."""
    valid = sum(votes.values())
    order = sorted(votes, key=lambda n: (-votes[n], n))
    leader = order[0] if order else None
    runner = order[1] if len(order) > 1 else None
    lead = votes.get(leader, 0) if leader is not None else 0
    return {
        "votes": {str(n): votes[n] for n in sorted(votes)},
        "valid": valid,
        "leader": leader,
        "runner_up": runner,
        "line": line(valid),
        "surplus": lead - line(valid),
        "margin": lead - (votes.get(runner, 0) if runner is not None else 0),
    }


def add_impact(findings: pl.DataFrame, numbers: list[int], official: dict) -> pl.DataFrame:
    """Add ``impact_line`` and ``impact_margin`` (Int64) to a findings frame (``d<n>`` columns), given the
    official :func:`outcome`."""
    leader, runner, valid = official["leader"], official["runner_up"], official["valid"]
    if leader is None or findings.height == 0:
        return findings.with_columns(
            pl.lit(0, pl.Int64).alias("impact_line"), pl.lit(0, pl.Int64).alias("impact_margin")
        )
    total_d = pl.sum_horizontal([pl.col(f"d{n}") for n in numbers])
    d_lead = pl.col(f"d{leader}")
    d_run = pl.col(f"d{runner}") if runner is not None else pl.lit(0, pl.Int64)
    half_change = pl.lit(valid // 2, pl.Int64) - (pl.lit(valid, pl.Int64) - total_d) // 2
    return findings.with_columns(
        (d_lead - half_change).cast(pl.Int64).alias("impact_line"),
        (d_lead - d_run).cast(pl.Int64).alias("impact_margin"),
    )


def by_region(rows: pl.DataFrame, length: int) -> pl.DataFrame:
    """Cumulative impact by region: ``rows`` has ``code``, ``step``, ``impact_line``, ``impact_margin``,
    ``votes_moved``; chain steps only, summed by the code's first ``length`` digits, largest |impact| first."""
    chain = rows.filter(pl.col("step").is_in(list(CHAIN)) & (pl.col("code").str.len_chars() >= length))
    return (
        chain.group_by(pl.col("code").str.slice(0, length).alias("code"))
        .agg(
            pl.col("impact_line").sum(),
            pl.col("impact_margin").sum(),
            pl.col("votes_moved").sum(),
            pl.len().alias("n"),
        )
        .sort([pl.col("impact_line").abs(), pl.col("impact_margin").abs(), "code"], descending=[True, True, False])
    )


def crossing(official: dict, rows: pl.DataFrame) -> dict:
    """Do the findings cross the line? ``rows`` as for :func:`by_region`. ``chain_impact_line`` = Σ over the
    chain; ``crosses_line`` when undoing them moves the leader to the other side of the line (clears
    it officially, not after, or the reverse); ``crosses_margin`` when undoing them puts the runner-up
    level or ahead; ``findings_crossing_alone``: findings each of which alone exceeds the surplus."""
    chain = rows.filter(pl.col("step").is_in(list(CHAIN)))
    s_line = int(chain["impact_line"].sum()) if chain.height else 0
    s_margin = int(chain["impact_margin"].sum()) if chain.height else 0
    surplus = official["surplus"]
    alone = rows.filter(pl.col("impact_line") > surplus).height if official["leader"] and surplus >= 0 else 0
    return {
        "chain_steps": list(CHAIN),
        "chain_impact_line": s_line,
        "chain_impact_margin": s_margin,
        "surplus_after": official["surplus"] - s_line,
        "margin_after": official["margin"] - s_margin,
        "crosses_line": official["leader"] is not None and (surplus >= 0) != (surplus - s_line >= 0),
        "crosses_margin": official["runner_up"] is not None and official["margin"] - s_margin <= 0,
        "findings_crossing_alone": alone,
    }
