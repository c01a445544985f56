"""Benchmark and validation: do the quick count's nominal 95 % intervals cover the true result?

From ``../shared/data/id/pilpres2019_tps.csv.gz`` (KawalPemilu's numbers, the TPS that have them):
the "true" result is paslon 01's share of the paslon votes over every TPS. Then ``REPS`` times: a
stratified random sample of ``N`` TPS (strata = kabupaten/kota, allocation and estimator exactly as
the product: :func:`kawaltps.analytics.sampling.allocate`, :func:`kawaltps.analytics.quickcount.estimate`),
and whether the 95 % interval of paslon 01 (and of the 01−02 margin) contains the truth.
Coverage should be close to 0.95 (with REPS = 1000 the binomial noise is ±0.014).

Also printed: the intra-TPS correlation ρ measured on this file (the default of the NDI sample-size
calculation), the mean half-width of the intervals, and the time per estimate.

Run: ``.venv/bin/python bench/analytics_quickcount_coverage.py [REPS] [N]`` (prints one JSON document).
"""

import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawaltps.settings")
os.environ.setdefault("KAWALTPS_DATA_DIR", tempfile.mkdtemp(prefix="kawaltps-bench-"))
import django  # noqa: E402

django.setup()
import numpy as np  # noqa: E402
import polars as pl  # noqa: E402
from _common import shared  # noqa: E402

from kawaltps.analytics import kawalpemilu2019, quickcount, sampling  # noqa: E402


def srswor_by_stratum(rng, starts, sizes, alloc):
    """Simple random samples without replacement in every stratum at once (vectorised): draw with
    replacement, then redraw the repeated slots until none repeat (= sampling the remainder)."""
    h = np.repeat(np.arange(len(sizes)), alloc)
    idx = starts[h] + (rng.random(len(h)) * sizes[h]).astype(np.int64)
    while True:
        _, first = np.unique(idx, return_index=True)
        dup = np.ones(len(idx), dtype=bool)
        dup[first] = False
        if not dup.any():
            return idx, h
        idx[dup] = starts[h[dup]] + (rng.random(dup.sum()) * sizes[h[dup]]).astype(np.int64)


def main(reps: int = 1000, n: int = 3000) -> None:
    path = shared("id", "pilpres2019_tps.csv.gz")
    df = kawalpemilu2019.with_source(kawalpemilu2019.read(path), "witness").filter(
        (pl.col("v1") + pl.col("v2")) >= 0).sort(["prov_id", "kab_id", "kec_id", "kel_id", "tps"])
    y = df.select("v1", "v2").to_numpy().astype(np.float64)
    stratum = df.select(pl.struct("prov_id", "kab_id").rank("dense") - 1).to_series().to_numpy().astype(np.int64)
    sizes = np.bincount(stratum)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    alloc = sampling.allocate(sizes, n)
    truth = y[:, 0].sum() / y.sum()
    truth_margin = (y[:, 0].sum() - y[:, 1].sum()) / y.sum()
    x = y.sum(axis=1)
    share = np.divide(y[:, 0], x, out=np.full(len(x), np.nan), where=x > 0)
    ok = np.isfinite(share)
    m = float(x[ok].mean())
    icc = (np.var(share[ok]) / (truth * (1 - truth)) - 1 / m) / (1 - 1 / m)
    rng = np.random.default_rng(2019)
    hit = hit_margin = 0
    widths, times = [], []
    for _ in range(reps):
        idx, h = srswor_by_stratum(rng, starts, sizes, alloc)
        t0 = time.perf_counter()
        est = quickcount.estimate(y[idx], h, sizes)
        mar = quickcount.margin(y[idx], h, sizes, 0, 1)
        times.append(time.perf_counter() - t0)
        hit += bool(est["low"][0] <= truth <= est["high"][0])
        hit_margin += bool(mar["low"] <= truth_margin <= mar["high"])
        widths.append(est["high"][0] - est["low"][0])
    coverage = hit / reps
    size = sampling.ndi_sample_size(0.01, 0.95, int(df["registered"].fill_null(0).sum()), df.height, icc=float(icc))
    print(json.dumps({
        "benchmark": "analytics_quickcount_coverage", "population_tps": df.height, "strata": len(sizes),
        "sample_size": int(alloc.sum()), "replicates": reps, "true_share_01": truth,
        "coverage_95": coverage, "coverage_95_margin": hit_margin / reps,
        "coverage_binomial_se": float(np.sqrt(0.95 * 0.05 / reps)),
        "mean_interval_half_width": float(np.mean(widths) / 2), "measured_icc": float(icc),
        "ndi_tps_for_1pct_at_measured_icc": size["tps"],
        "seconds_per_estimate_median": float(np.median(times)),
        "ok": bool(abs(coverage - 0.95) < 3 * np.sqrt(0.95 * 0.05 / reps))}, indent=2))


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
