"""Benchmark: every forensic test on all 813,336 TPS of the 2019 presidential election (< 10 s, 2 cores).

Units come straight from ``../shared/data/id/pilpres2019_tps.csv.gz`` (KawalPemilu's numbers; the TPS
with them and a known DPT). Measured in the same run (best of ``RUNS``; reading the file reported apart):

- ``all_forensics``: :func:`kawaltps.analytics.forensics.run_all` — fingerprint with the fraud-fraction
  fit, integer percentages, last and second digits, turnout slope, outliers against kelurahan and
  kecamatan, and every test again per provinsi;
- ``baseline``: one vectorised pass computing each TPS's turnout and winner's share and their means.

Run: ``.venv/bin/python bench/analytics_forensics_2019.py [RUNS]`` (prints one JSON document).
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
from _common import shared  # noqa: E402

from kawaltps.analytics import kawalpemilu2019  # noqa: E402
from kawaltps.analytics.forensics import run_all  # noqa: E402


def best(fn, runs):
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def main(runs: int = 2) -> None:
    path = shared("id", "pilpres2019_tps.csv.gz")
    t0 = time.perf_counter()
    units = kawalpemilu2019.units(kawalpemilu2019.read(path))
    read = time.perf_counter() - t0

    def baseline():
        turnout = units.voters / units.registered
        share = np.divide(units.winner, units.valid, out=np.zeros(len(units)), where=units.valid > 0)
        return float(turnout.mean()), float(share.mean())

    base, _ = best(baseline, runs)
    full, report = best(lambda: run_all(units), runs)
    print(json.dumps({
        "benchmark": "analytics_forensics_2019", "units": len(units), "excluded": units.excluded,
        "read_seconds": round(read, 2), "all_forensics_seconds": round(full, 2),
        "baseline_seconds": round(base, 4), "ratio": round(full / base, 1) if base else None,
        "target_seconds": 10, "ok": full < 10,
        "tests": {t["test"]: {"statistic": t["statistic"], "p_value": t["p_value"], "flagged": t["flagged"]}
                  for t in report["tests"]},
        "regions_flagged": sum(1 for r in report["regions"] if r["flags"]), "regions": len(report["regions"]),
    }, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
