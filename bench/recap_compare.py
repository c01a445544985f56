"""Benchmark: the full discrepancy comparison for the 813,336 TPS of the 2019 presidential election.

Frames come straight from ``../shared/data/id/pilpres2019_tps.csv.gz`` (KawalPemilu = witness,
KPU = official). Measured (best of 3 runs, reading and code building not included, reported apart):

- ``full``: :func:`kawaltps.recap.engine.find_all` with every step: TPS → official per TPS, and the
  official TPS summed to kecamatan, kecamatan to kab/kota, kab/kota to provinsi against D.Hasil
  frames (made from KPU's sums, with one kecamatan altered so every step has work to do);
  (with issue 11: also our saksi's sums against the kecamatan D.Hasil, every finding's impact on the
  50 % + 1 line, what is missing per kecamatan, and the D.Hasil kelurahan rows against Sirekap's TPS);
- ``baseline``: one vectorised inner join of the witness and official frames on the TPS code.

Run: ``.venv/bin/python bench/recap_compare.py`` (prints one JSON document). Target: full < 10 s.
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
import polars as pl  # noqa: E402
from _common import shared  # noqa: E402

from kawaltps.recap import children, coverage, engine, impact, pilpres2019  # noqa: E402

RUNS = 3


def best(fn) -> tuple[float, object]:
    times, out = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    path = shared("id", "pilpres2019_tps.csv.gz")
    t0 = time.perf_counter()
    df = pilpres2019.with_codes(pilpres2019.read(path))
    witness, official = pilpres2019.frames(df)
    prepare = time.perf_counter() - t0
    numbers = [1, 2]
    tiers = {}
    lower = official
    for tier, n in (("kecamatan", 6), ("kabkota", 4), ("provinsi", 2)):
        lower = lower.drop_nulls().group_by(pl.col("code").str.slice(0, n)).agg(pl.col("c1").sum(), pl.col("c2").sum())
        tiers[tier] = lower
    first_kec = tiers["kecamatan"]["code"].sort()[0]
    tiers["kecamatan"] = tiers["kecamatan"].with_columns(
        pl.when(pl.col("code") == first_kec).then(pl.col("c1") + 100).otherwise(pl.col("c1")).alias("c1"))

    codes = official.select("code")
    expected = {}
    for tier, child, parent in (("kecamatan", 13, 6), ("kabkota", 6, 4), ("provinsi", 4, 2)):
        kids = codes.select(pl.col("code").str.slice(0, child)).unique()
        expected[tier] = kids.group_by(pl.col("code").str.slice(0, parent)).agg(pl.len().alias("n_expected"))
    admin = official.with_columns(pl.lit(None, pl.Int64).alias("voters"), pl.lit(None, pl.Int64).alias("invalid"))
    kel_rows = (
        official.drop_nulls().group_by(pl.col("code").str.slice(0, 10)).agg(pl.col("c1").sum(), pl.col("c2").sum())
        .with_columns(pl.lit(None, pl.Int64).alias("voters"), pl.lit(None, pl.Int64).alias("invalid"))
    )
    kel_expected = codes.group_by(pl.col("code").str.slice(0, 10)).agg(pl.len().alias("n_expected"))
    totals = {n: int(official[f"c{n}"].sum()) for n in numbers}
    outcome = impact.outcome(totals)

    def full():
        found, _ = engine.find_all(numbers, witness=witness, official=official, dhasil=tiers, expected=expected)
        rows, _ = children.compare_rows(kel_rows, admin, numbers, kel_expected)
        found.update(rows)
        found = {k: impact.add_impact(v, numbers, outcome) for k, v in found.items()}
        missing = coverage.by_region(coverage.per_tps(codes, witness, official, numbers))
        return found, missing

    def baseline():
        return witness.join(official, on="code", how="inner")

    base_s, joined = best(baseline)
    full_s, (found, missing) = best(full)
    counts = {k: v.height for k, v in found.items()}
    print(json.dumps({
        "benchmark": "recap_compare", "tps": df.height, "compared_tps": joined.drop_nulls().height,
        "findings": counts, "kecamatan_with_missing": missing.filter(pl.col("missing") > 0).height,
        "prepare_seconds": round(prepare, 3),
        "full_seconds": round(full_s, 3), "baseline_join_seconds": round(base_s, 3),
        "ratio": round(full_s / base_s, 2) if base_s else None, "target_seconds": 10, "runs": RUNS,
        "polars_threads": pl.thread_pool_size(), "cpus": os.cpu_count(),
    }))


if __name__ == "__main__":
    main()
