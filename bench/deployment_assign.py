"""Benchmark: the assignment solver (OR-Tools min-cost flow) against a greedy nearest-first baseline.

Jakarta (default): the demo's 14,835 TPS of the 2024 governor race (real kelurahan, sizes from the
fixture) and 30,000 synthetic certified volunteers, homes spread like the TPS, 85% with a known voting
TPS in their kelurahan, 1 saksi + 1 backup wanted, 5% of TPS weighted. Target: solved < 10 s.

``--national``: 820,000 TPS in 38 provinces / 514 kota / 7,277 kecamatan / 83,763 kelurahan
(synthetic codes of the real widths) and 1,600,000 volunteers. Target: < 5 minutes, < 8 GB on 2 cores.
Takes minutes: not part of the test suite.

The same input goes to the greedy baseline in the same run; the solver must cover at least as many
TPS with a lower mean distance. Pure in-memory (no database): graph building and solving. Prints one
JSON document.

    .venv/bin/python bench/deployment_assign.py [--national] [--volunteers N] [--seed 1]
"""

import argparse
import csv
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve()
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "src"))

from kawaltps.deployment import solver  # noqa: E402


def jakarta_tps() -> np.ndarray:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawaltps.settings")
    django.setup()  # the demo module imports models; nothing touches the database
    from kawaltps.elections.demo import TOTAL_TPS, largest_remainder

    rows = list(csv.DictReader(open(REPO / "src/kawaltps/regions/fixtures/jakarta_kelurahan_pilpres2024.csv")))
    per = largest_remainder(np.array([int(r["tps"]) for r in rows], dtype=float), TOTAL_TPS)
    return np.array([f"{r['kode']}{n:03d}" for r, k in zip(rows, per, strict=True) for n in range(1, k + 1)],
                    dtype="U13")


def national_tps(rng, total=820_000, provinces=38, kota=514, kecamatan=7_277, kelurahan=83_763) -> np.ndarray:
    """Synthetic codes with the real hierarchy sizes: kota per provinsi, kecamatan per kota, … then TPS."""
    prov_of_kota = np.sort(rng.integers(0, provinces, kota))
    kota_of_kec = np.sort(np.r_[np.arange(kota), rng.integers(0, kota, kecamatan - kota)])
    kec_of_kel = np.sort(np.r_[np.arange(kecamatan), rng.integers(0, kecamatan, kelurahan - kecamatan)])
    kel_of_tps = np.sort(np.r_[np.arange(kelurahan), rng.integers(0, kelurahan, total - kelurahan)])

    def rank(parent):  # 1-based index of each child within its parent
        starts = np.r_[0, np.flatnonzero(np.diff(parent)) + 1]
        return np.arange(len(parent)) - np.repeat(starts, np.diff(np.r_[starts, len(parent)])) + 1

    prov_code = np.char.zfill((11 + prov_of_kota).astype(str), 2)
    kota_code = np.char.add(prov_code, np.char.zfill(rank(prov_of_kota).astype(str), 2))
    kec_code = np.char.add(kota_code[kota_of_kec], np.char.zfill(rank(kota_of_kec).astype(str), 2))
    kel_code = np.char.add(kec_code[kec_of_kel], np.char.zfill((1000 + rank(kec_of_kel)).astype(str), 4))
    return np.char.add(kel_code[kel_of_tps], np.char.zfill(rank(kel_of_tps).astype(str), 3)).astype("U13")


def build(tps: np.ndarray, n_vol: int, rng) -> solver.Problem:
    nt = len(tps)
    at = tps[rng.integers(0, nt, n_vol)]  # homes spread like TPS
    voting = np.where(rng.random(n_vol) < 0.85, at, "").astype("U13")
    weight = np.where(rng.random(nt) < 0.05, 5, 1)
    return solver.Problem(tps_codes=tps, tps_weight=weight, tps_saksi_open=np.ones(nt, dtype=np.int64),
                          tps_backup_open=np.ones(nt, dtype=np.int64), vol_ids=np.arange(n_vol),
                          vol_home=at.astype("U10"), vol_voting=voting, vol_max=np.full(n_vol, 3))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--national", action="store_true")
    ap.add_argument("--volunteers", type=int)
    ap.add_argument("--tps", type=int, default=820_000, help="national TPS count (a smaller run to try)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    t0 = time.perf_counter()
    tps = national_tps(rng, total=args.tps) if args.national else jakarta_tps()
    n_vol = args.volunteers or (round(args.tps * 1_600_000 / 820_000) if args.national else 30_000)
    p = build(tps, n_vol, rng)
    setup = time.perf_counter() - t0
    t0 = time.perf_counter()
    sol = solver.solve(p)
    solve_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    gre = solver.greedy(p)
    greedy_s = time.perf_counter() - t0
    cs, cg = solver.coverage(p, sol), solver.coverage(p, gre)
    weighted = p.tps_weight > 1
    for c, x in ((cs, sol), (cg, gre)):  # priority TPS (weight 5) that got a saksi
        covered = np.zeros(len(p.tps_codes), dtype=bool)
        covered[x.tps_index[x.kind == solver.KIND_SAKSI]] = True
        c["priority_tps_covered"] = f"{int((covered & weighted).sum())}/{int(weighted.sum())}"
    target = 300 if args.national else 10
    print(json.dumps({
        "benchmark": "deployment_assign", "scale": "national" if args.national else "jakarta",
        "tps": len(tps), "volunteers": n_vol, "setup_seconds": round(setup, 2),
        "solve_seconds": round(solve_s, 2), "target_seconds": target, "ok": solve_s < target,
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "solver": cs, "greedy_baseline": {**cg, "seconds": round(greedy_s, 2)},
        "solver_covers_at_least_as_many": cs["with_saksi"] >= cg["with_saksi"] and cs["full"] >= cg["full"],
        "solver_mean_distance_lower": (cs["mean_distance"] or 0) < (cg["mean_distance"] or 0),
    }))


if __name__ == "__main__":
    main()
