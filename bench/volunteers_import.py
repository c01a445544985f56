"""Benchmark: 100,000 generated volunteer rows through `import-volunteers` (CSV and XLSX).

Target (issue 5): under 60 s. Baseline in the same run and database: a plain ``bulk_create`` of the
same 100,000 volunteers in one transaction (no file, no checks, no duplicate matching). Also times the re-import of
the same file (every row unchanged). Prints one JSON document.

    .venv/bin/python bench/volunteers_import.py [--rows N] [--postgresql]
"""

import argparse
import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
from _common import fresh_env, fresh_pg_database, run_child, setup_django, timer  # noqa: E402

TARGET_SECONDS = 60


def child(rows: int, workdir: str) -> None:
    setup_django()
    import numpy as np
    import openpyxl
    from django.core.management import call_command
    from django.db import transaction

    from kawaltps.people.models import Organisation
    from kawaltps.regions import demo as regions_demo
    from kawaltps.regions.models import Region
    from kawaltps.volunteers.demo import generate
    from kawaltps.volunteers.importer import import_volunteers
    from kawaltps.volunteers.models import Volunteer

    call_command("migrate", verbosity=0)
    regions_demo.import_regions(regions_demo.JAKARTA_REGIONS)
    org = Organisation.objects.create(name="Relawan Kawal Jakarta", short_name="RKJ")
    kel = list(Region.objects.filter(level=4).values_list("code", flat=True))
    people = generate(kel, np.ones(len(kel)), rows, seed=7)
    work = Path(workdir)
    csv_path = work / "relawan.csv"
    header = ["Nama", "NIK", "No HP", "Kelurahan", "Organisasi", "Alamat", "Bersedia"]
    table = [[p["name"], p["nik"], "0" + p["phone"][2:], p["kelurahan_id"], "RKJ", p["address"],
              "ya" if p["available_on_election_day"] else "tidak"] for p in people]
    with open(csv_path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(table)
    xlsx_path = work / "relawan.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(header)
    for row in table:
        ws.append(row)
    wb.save(xlsx_path)

    with timer() as baseline, transaction.atomic():
        Volunteer.objects.bulk_create([Volunteer(**p, organisation=org) for p in people], batch_size=2000)
    Volunteer.objects.all().delete()

    out = {"rows": rows, "baseline_bulk_create_seconds": round(baseline.seconds, 3),
           "csv_bytes": csv_path.stat().st_size, "xlsx_bytes": xlsx_path.stat().st_size}
    for kind, path in (("csv", csv_path), ("xlsx", xlsx_path)):
        Volunteer.objects.all().delete()
        with timer() as first:
            report = import_volunteers(path)
        with timer() as again:
            rerun = import_volunteers(path)
        out[kind] = {"seconds": round(first.seconds, 3), "imported": report.imported,
                     "rejected": len(report.rejected), "rerun_seconds": round(again.seconds, 3),
                     "rerun_unchanged": rerun.unchanged, "rerun_imported": rerun.imported,
                     "rerun_updated": rerun.updated}
    print(json.dumps(out))


def main() -> None:
    import tempfile

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgresql", action="store_true", help="also run on PostgreSQL")
    args = parser.parse_args()
    results = {}
    for db in ("sqlite", "postgresql") if args.postgresql else ("sqlite",):
        url = fresh_pg_database("volunteers_bench") if db == "postgresql" else None
        r = run_child(HERE, ["--child", str(args.rows), tempfile.mkdtemp(prefix="ktps-vol-")], fresh_env(url))
        base = r["baseline_bulk_create_seconds"]
        for kind in ("csv", "xlsx"):
            r[kind]["ratio_to_baseline"] = round(r[kind]["seconds"] / base, 1)
            r[kind]["within_target"] = r[kind]["seconds"] < TARGET_SECONDS
        results[db] = r
    print(json.dumps({"benchmark": "volunteers_import", "rows": args.rows, "target_seconds": TARGET_SECONDS,
                      "baseline": "bulk_create of the same volunteers in the same run and database",
                      **results}, indent=2))


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), sys.argv[3])
    else:
        main()
