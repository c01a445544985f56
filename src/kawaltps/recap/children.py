"""The rows of a D.Hasil Kecamatan (one per kelurahan) against Sirekap's TPS of that kelurahan, and the
two patterns a recap alteration leaves (issue 11 item 2). Whole-frame joins, no loop per TPS.

Inputs: ``rows`` has ``code`` (10-digit kelurahan), the paslon columns ``c<n>``, ``voters`` and
``invalid`` (nullable); ``tps`` has the 13-digit TPS code, the paslon columns, ``voters``, ``invalid``
(Sirekap's per-TPS numbers). A kelurahan is compared only when every TPS of it in our register has
numbers (``expected``: ``code`` → ``n_expected``).

Steps (delta = D.Hasil row − Sirekap sum, as every step: upper minus lower):

- ``dhasil_kelurahan``: any paslon differs;
- ``voters_same_votes_up``: the voters (pengguna hak pilih) are the same but the paslon total is higher
  (votes that no voter cast);
- ``invalid_down_paslon_up``: invalid votes are fewer and the paslon total is higher (invalid ballots
  turned into votes).
"""

from __future__ import annotations

import polars as pl

from . import engine

STEPS = ("dhasil_kelurahan", "dhasil_kecamatan_row", "dhasil_kabkota_row", "voters_same_votes_up",
         "invalid_down_paslon_up", "sirekap_region")
# the row step of each tier's form: its rows against the D.Hasil of each child region
ROW_STEPS = {"kabkota": "dhasil_kecamatan_row", "provinsi": "dhasil_kabkota_row"}


def compare_rows(
    rows: pl.DataFrame, tps: pl.DataFrame, numbers: list[int], expected: pl.DataFrame | None = None
) -> tuple[dict[str, pl.DataFrame], int]:
    """({step: findings}, kelurahan skipped because a TPS had no numbers). Findings carry ``n_children``,
    and the pattern steps ``voters_lower``/``voters_upper``, ``invalid_lower``/``invalid_upper``."""
    c = engine.cols(numbers)
    lower = (
        tps.drop_nulls(c)
        .group_by(pl.col("code").str.slice(0, 10).alias("code"))
        .agg(
            *[pl.col(x).sum() for x in c],
            pl.len().alias("n_children"),
            # a sum is known only when every TPS has the number
            pl.when(pl.col("voters").null_count() == 0).then(pl.col("voters").sum()).alias("voters_lower"),
            pl.when(pl.col("invalid").null_count() == 0).then(pl.col("invalid").sum()).alias("invalid_lower"),
        )
    )
    skipped = 0
    if expected is not None:
        exp = expected.select(pl.col("code").cast(pl.Utf8), pl.col("n_expected").cast(pl.UInt32))
        lower = lower.join(exp, on="code", how="left")
        complete = lower.filter(pl.col("n_expected").is_null() | (pl.col("n_children") >= pl.col("n_expected")))
        skipped = rows.drop_nulls(c).join(complete.select("code"), on="code", how="anti").height
        lower = complete.drop("n_expected")
    upper = rows.drop_nulls(c).select(
        "code", *c, pl.col("voters").alias("voters_upper"), pl.col("invalid").alias("invalid_upper")
    )
    lo = lower.rename({f"c{n}": f"o{n}" for n in numbers})
    up = upper.rename({f"c{n}": f"u{n}" for n in numbers})
    joined = lo.join(up, on="code", how="inner")
    extra = ["n_children", "voters_lower", "voters_upper", "invalid_lower", "invalid_upper"]
    found = {"dhasil_kelurahan": engine._findings(joined, "dhasil_kelurahan", numbers, extra=extra)}
    up_total = pl.sum_horizontal([pl.col(f"u{n}") for n in numbers])
    lo_total = pl.sum_horizontal([pl.col(f"o{n}") for n in numbers])
    same_voters = joined.filter((pl.col("voters_upper") == pl.col("voters_lower")) & (up_total > lo_total))
    invalid_down = joined.filter((pl.col("invalid_upper") < pl.col("invalid_lower")) & (up_total > lo_total))
    found["voters_same_votes_up"] = engine._findings(same_voters, "voters_same_votes_up", numbers, extra=extra)
    found["invalid_down_paslon_up"] = engine._findings(invalid_down, "invalid_down_paslon_up", numbers, extra=extra)
    return found, skipped


def compare_tier_rows(
    rows: pl.DataFrame, child_dhasil: pl.DataFrame, numbers: list[int], step: str
) -> dict[str, pl.DataFrame]:
    """A kota's (province's) D.Hasil rows against the D.Hasil of each kecamatan (kota) they name:
    ``rows`` and ``child_dhasil`` have ``code``, the paslon columns, ``voters``, ``invalid``. A row is
    compared only when that child's D.Hasil is entered. ``step`` (any paslon differs), plus the two
    patterns ``voters_same_votes_up`` / ``invalid_down_paslon_up`` as findings of their own (the code's
    length names the tier). delta = the row − the child's own D.Hasil."""
    c = engine.cols(numbers)
    lo = child_dhasil.drop_nulls(c).select(
        "code", *[pl.col(x).alias(f"o{x[1:]}") for x in c], pl.lit(1, pl.UInt32).alias("n_children"),
        pl.col("voters").alias("voters_lower"), pl.col("invalid").alias("invalid_lower"),
    )  # fmt: skip
    up = rows.drop_nulls(c).select(
        "code", *[pl.col(x).alias(f"u{x[1:]}") for x in c],
        pl.col("voters").alias("voters_upper"), pl.col("invalid").alias("invalid_upper"),
    )  # fmt: skip
    return _patterns(lo.join(up, on="code", how="inner"), numbers, step)


def _patterns(joined: pl.DataFrame, numbers: list[int], step: str) -> dict[str, pl.DataFrame]:
    extra = ["n_children", "voters_lower", "voters_upper", "invalid_lower", "invalid_upper"]
    up_total = pl.sum_horizontal([pl.col(f"u{n}") for n in numbers])
    lo_total = pl.sum_horizontal([pl.col(f"o{n}") for n in numbers])
    same_voters = joined.filter((pl.col("voters_upper") == pl.col("voters_lower")) & (up_total > lo_total))
    invalid_down = joined.filter((pl.col("invalid_upper") < pl.col("invalid_lower")) & (up_total > lo_total))
    return {
        step: engine._findings(joined, step, numbers, extra=extra),
        "voters_same_votes_up": engine._findings(same_voters, "voters_same_votes_up", numbers, extra=extra),
        "invalid_down_paslon_up": engine._findings(invalid_down, "invalid_down_paslon_up", numbers, extra=extra),
    }


def rows_frame(dhasil_children: list[tuple[str, dict]], numbers: list[int]) -> pl.DataFrame:
    """D.Hasil Kecamatan ``children`` JSON (one item per kecamatan) → one row per kelurahan."""
    data: dict[str, list] = {"code": [], "voters": [], "invalid": [], **{f"c{n}": [] for n in numbers}}
    for _code, kids in dhasil_children:  # one iteration per kecamatan, not per TPS
        for child, row in (kids or {}).items():
            data["code"].append(child)
            data["voters"].append(row.get("voters"))
            data["invalid"].append(row.get("invalid"))
            for n in numbers:
                data[f"c{n}"].append((row.get("votes") or {}).get(str(n)))
    schema = {"code": pl.Utf8, "voters": pl.Int64, "invalid": pl.Int64, **{f"c{n}": pl.Int64 for n in numbers}}
    return pl.DataFrame(data, schema=schema)


def compare_region_pages(
    pages: pl.DataFrame, tps: pl.DataFrame, numbers: list[int], codes: pl.DataFrame
) -> tuple[pl.DataFrame, int]:
    """Sirekap's own region pages (``pages``: ``code`` of 2/4/6/10 digits + paslon columns, the newest
    version of each) against the sum of Sirekap's TPS pages under them (step ``sirekap_region``; delta =
    region page − TPS sum). A region is compared only when every TPS of it in our register (``codes``)
    has Sirekap numbers. One group-by per code length (4), never a loop per TPS. Returns (findings,
    regions skipped)."""
    c = engine.cols(numbers)
    clean = tps.drop_nulls(c)
    out, skipped = [], 0
    for length in (2, 4, 6, 10):
        up = pages.filter(pl.col("code").str.len_chars() == length).drop_nulls(c)
        if up.height == 0:
            continue
        sums = clean.group_by(pl.col("code").str.slice(0, length).alias("code")).agg(
            *[pl.col(x).sum() for x in c], pl.len().alias("n_children")
        )
        exp = codes.group_by(pl.col("code").str.slice(0, length).alias("code")).agg(pl.len().alias("n_expected"))
        sums = sums.join(exp, on="code", how="left").filter(pl.col("n_children") >= pl.col("n_expected"))
        skipped += up.join(sums.select("code"), on="code", how="anti").height
        lo = sums.drop("n_expected").rename({f"c{n}": f"o{n}" for n in numbers})
        joined = lo.join(up.rename({f"c{n}": f"u{n}" for n in numbers}), on="code", how="inner")
        out.append(engine._findings(joined, "sirekap_region", numbers, extra=["n_children"]))
    if not out:
        schema = {"code": pl.Utf8, "n_children": pl.UInt32, **{f"{p}{n}": pl.Int64 for p in "ou" for n in numbers}}
        return engine._findings(pl.DataFrame(schema=schema), "sirekap_region", numbers, extra=["n_children"]), 0
    return pl.concat(out), skipped
