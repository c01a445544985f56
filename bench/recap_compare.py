"""Benchmark: the full discrepancy comparison for the 813,336 TPS of the 2019 presidential election.

Frames come straight from ``../shared/data/id/pilpres2019_tps.csv.gz`` (KawalPemilu = witness,
KPU = official). Measured (best of 3 runs, reading and code building not included, reported apart):

- ``full``: :func:`kawaltps.recap.engine.find_all` with every step: TPS → official per TPS, and the
  official TPS summed to kecamatan, kecamatan to kab/kota, kab/kota to provinsi against D.Hasil
  frames (made from KPU's sums, with one kecamatan altered so every step has work to do);
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

from kawaltps.recap import engine, pilpres2019  # noqa: E402

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

    def full():
        found, _ = engine.find_all(numbers, witness=witness, official=official, dhasil=tiers)
        return found

    def baseline():
        return witness.join(official, on="code", how="inner")

    base_s, joined = best(baseline)
    full_s, found = best(full)
    counts = {k: v.height for k, v in found.items()}
    print(json.dumps({
        "benchmark": "recap_compare", "tps": df.height, "compared_tps": joined.drop_nulls().height,
        "findings": counts, "prepare_seconds": round(prepare, 3),
        "full_seconds": round(full_s, 3), "baseline_join_seconds": round(base_s, 3),
        "ratio": round(full_s / base_s, 2) if base_s else None, "target_seconds": 10, "runs": RUNS,
        "polars_threads": pl.thread_pool_size(), "cpus": os.cpu_count(),
    }))


if __name__ == "__main__":
    main()
