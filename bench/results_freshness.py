"""Benchmark: how soon a newly verified TPS shows in its province total, on PostgreSQL.

For each of N TPS of the Jakarta 2024 election (14,835 TPS, fresh database ``kawaltps_bench_fresh``),
two different clerks enter the same numbers through ``results.services.submit`` (first entry, then
the blind second one: the TPS is verified). The clock starts when the second submission returns and
stops when ``tabulation.tabulate`` (what the dashboard and its JSON read; it folds pending deltas
first) shows the province's verified count and paslon 1 votes including that TPS.

Target (issue 3): within 1 s. Baseline in the same run: a bare read of the province's
``RegionTally`` row (no fold). Prints one JSON document.

    .venv/bin/python bench/results_freshness.py [--tps 50]
"""

import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
from _common import fresh_env, fresh_pg_database, run_child, setup_django, timer  # noqa: E402

TARGET_SECONDS = 1.0
DATABASE = "kawaltps_bench_fresh"


def child(n: int) -> None:
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kawaltps.elections.demo import create_election
    from kawaltps.people.models import User
    from kawaltps.regions import demo as regions_demo
    from kawaltps.regions.models import TPS
    from kawaltps.results import services
    from kawaltps.results.models import RegionTally
    from kawaltps.results.tabulation import rebuild_tallies, tabulate

    regions_demo.import_regions(regions_demo.JAKARTA_REGIONS)
    election, _ = create_election()
    rebuild_tallies(election, "witness")
    clerks = [User.objects.create_user(username=f"clerk{i}", password="x", role="clerk") for i in (1, 2)]
    codes = list(TPS.objects.filter(election=election).order_by("?").values_list("code", flat=True)[:n])
    votes = {"1": 101, "2": 22, "3": 150}
    numbers = {"suara_sah": 273, "suara_tidak_sah": 7, "suara_total": 280}
    latencies, reads = [], []
    for i, code in enumerate(codes):
        services.submit(clerks[0], election, code, "clerk_first", votes, numbers, f"fresh-{i}-a")
        services.submit(clerks[1], election, code, "clerk_first", votes, numbers, f"fresh-{i}-b")
        start = time.perf_counter()
        while True:
            row = tabulate(election, 1, "witness", within=code[:2])[0]
            if row["coverage"]["verified"] == i + 1 and row["votes"].get("1") == 101 * (i + 1):
                break
        latencies.append(time.perf_counter() - start)
        with timer() as t:
            RegionTally.objects.get(election=election, source="witness", code=code[:2])
        reads.append(t.seconds)
    latencies.sort()
    print(json.dumps({"tps": len(codes), "median_seconds": round(statistics.median(latencies), 4),
                      "p95_seconds": round(latencies[int(0.95 * (len(latencies) - 1))], 4),
                      "max_seconds": round(max(latencies), 4),
                      "bare_read_median_seconds": round(statistics.median(reads), 5)}))


def main() -> None:
    n = int(sys.argv[sys.argv.index("--tps") + 1]) if "--tps" in sys.argv else 50
    url = fresh_pg_database(DATABASE)
    out = run_child(HERE, ["--child", str(n)], fresh_env(url))
    print(json.dumps({
        "benchmark": "results_freshness", "database": "postgresql", "target_seconds": TARGET_SECONDS,
        "what": "second (verifying) clerk entry returned → province total from tabulate() includes it",
        "seconds": out["max_seconds"], "within_target": out["max_seconds"] < TARGET_SECONDS,
        "baseline": {"what": "bare read of the province RegionTally row", "seconds": out["bare_read_median_seconds"]},
        "ratio_median": round(out["median_seconds"] / out["bare_read_median_seconds"], 1),
        "detail": out,
    }, indent=2))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(int(sys.argv[2]))
    else:
        main()
