"""Benchmark: one quick-count update for a 3,000-TPS sample (< 1 s).

Setup (not timed): a fresh database with the demo's Jakarta 2024 governor election (14,835 TPS), a
witness result at every TPS (then ``ANALYZE`` on PostgreSQL, as autovacuum does after a bulk load:
with the statistics of an empty table the planner picks a nested loop that takes ~1 s), and a
stored stratified draw of 3,000 TPS. Measured (median of ``N``):

- ``update``: :func:`kawaltps.analytics.live.update` — the query of the sample with its results, the
  stratified ratio estimate with standard errors, P(> 50 %), the margin, the call, the arrival bias
  and the 12-point timeline: everything the page and ``kawaltps quickcount`` show;
- ``baseline``: the query of the sample with its results alone (:func:`kawaltps.analytics.data.sample_frame`).

Run: ``.venv/bin/python bench/analytics_quickcount_update.py [--postgresql]`` (prints one JSON document;
``--postgresql`` uses its own database ``kawaltps_bench_analytics`` on 127.0.0.1:5432).
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parents[1] / "src"))
sys.path.insert(0, str(HERE.parent))
RUNS = 10


def run_inside() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawaltps.settings")
    import django

    django.setup()
    import numpy as np
    from django.core.management import call_command
    from django.db import connection

    from kawaltps.analytics import data, live, sampling
    from kawaltps.elections.demo import create_election
    from kawaltps.regions import demo as regions_demo
    from kawaltps.results.models import TpsResult

    call_command("migrate", verbosity=0)
    regions_demo.import_regions(regions_demo.JAKARTA_REGIONS)
    election, _ = create_election()
    numbers = sorted(election.candidates.values_list("number", flat=True))
    rng = np.random.default_rng(0)
    rows = []
    for tps_id, code, dpt in election.tps_set.values_list("id", "code", "dpt"):
        valid = int(dpt * 0.6)
        split = rng.dirichlet(np.ones(len(numbers)) * 5) * valid
        votes = {str(n): int(v) for n, v in zip(numbers, split, strict=True)}
        rows.append(TpsResult(election=election, tps_id=tps_id, code=code, source="witness", state="entered",
                              votes=votes, valid=sum(votes.values()), invalid=3, total=sum(votes.values()) + 3))
    TpsResult.objects.bulk_create(rows, batch_size=2000)
    if connection.vendor == "postgresql":  # what autovacuum does soon after a bulk load
        with connection.cursor() as cur:
            cur.execute("ANALYZE results_tpsresult")
    draw = sampling.create_draw(election, sample_size=3000, seed=1)

    def median_of(fn):
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - start)
        return statistics.median(times), max(times), out

    base, _, frame = median_of(lambda: data.sample_frame(draw, "witness"))
    full, worst, out = median_of(lambda: live.update(draw, "witness"))
    print(json.dumps({"benchmark": "analytics_quickcount_update", "database": connection.vendor,
                      "population_tps": draw.population,
                      "sample_tps": draw.sample_size, "arrived": out["arrived"], "strata": out["arrival"]["strata"],
                      "update_seconds_median": round(full, 4), "update_seconds_worst": round(worst, 4),
                      "baseline_query_seconds_median": round(base, 4), "target_seconds": 1.0, "ok": full < 1.0}))


def main() -> None:
    from _common import fresh_env, fresh_pg_database

    url = fresh_pg_database("kawaltps_bench_analytics") if "--postgresql" in sys.argv else None
    out = subprocess.run([sys.executable, str(HERE), "--inside"], env=fresh_env(url), capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr[-4000:])
    print(json.dumps(json.loads(out.stdout.strip().splitlines()[-1]), indent=2))


if __name__ == "__main__":
    run_inside() if "--inside" in sys.argv else main()
