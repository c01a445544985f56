"""Benchmark: the national region file (91,591 rows) through `import-regions`, on SQLite and PostgreSQL.

Target (issue 2): under 30 s on each database. Baseline in the same run: PostgreSQL COPY of the same
rows into a plain table. Prints one JSON document.

    .venv/bin/python bench/regions_import.py
"""

import csv
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
from _common import fresh_env, fresh_pg_database, run_child, setup_django, shared, timer  # noqa: E402

TARGET_SECONDS = 30


def child(path: str) -> None:
    import json

    setup_django()
    from django.core.management import call_command

    from kawaltps.regions.importer import import_regions
    from kawaltps.regions.models import Region

    call_command("migrate", verbosity=0)
    with timer() as first:
        import_regions(path)
    with timer() as second:
        counts = import_regions(path)
    print(json.dumps({"rows": Region.objects.count(), "seconds": round(first.seconds, 3),
                      "rerun_seconds": round(second.seconds, 3),
                      "rerun_unchanged": sum(counts.unchanged.values())}))


def copy_baseline(path: Path, url: str) -> float:
    import psycopg

    rows = [(r["kode"].replace(".", ""), r["nama"], int(r["level"])) for r in csv.DictReader(open(path))]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    with psycopg.connect(url) as conn, timer() as t:
        conn.execute("CREATE TABLE copy_baseline (code varchar(10) PRIMARY KEY, name varchar(120), level smallint)")
        with conn.cursor().copy("COPY copy_baseline FROM STDIN WITH (FORMAT csv)") as cp:
            cp.write(buf.getvalue())
        conn.commit()
    return t.seconds


def main() -> None:
    import json

    path = shared("id", "wilayah_2023.csv")
    results = {}
    for db in ("sqlite", "postgresql"):
        url = fresh_pg_database("kawaltps_bench_regions") if db == "postgresql" else None
        results[db] = run_child(HERE, ["--child", str(path)], fresh_env(url))
        results[db]["rows_per_second"] = round(results[db]["rows"] / results[db]["seconds"])
        results[db]["within_target"] = results[db]["seconds"] < TARGET_SECONDS
    baseline_url = fresh_pg_database("kawaltps_bench_copy")
    copy_s = copy_baseline(path, baseline_url)
    rows = results["postgresql"]["rows"]
    print(json.dumps({
        "benchmark": "regions_import", "rows": rows, "target_seconds": TARGET_SECONDS,
        "baseline": {"what": "PostgreSQL COPY of the same rows", "seconds": round(copy_s, 3),
                     "rows_per_second": round(rows / copy_s)},
        **results,
        "ratio_postgresql_to_copy": round(results["postgresql"]["seconds"] / copy_s, 1),
        "ratio_sqlite_to_copy": round(results["sqlite"]["seconds"] / copy_s, 1),
    }, indent=2))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
