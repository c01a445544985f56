"""Benchmark: the Bimtek gains page and its CSV export on the demo's data (352 sessions, 22,514
enrolments, 38,526 submitted tests).

Without ``--database-url`` it runs ``kawaltps demo --no-serve`` on a fresh SQLite database in a
temporary folder first (about a minute); with it, it reads an existing demo database (e.g. the
PostgreSQL one the demo filled). Then, in one process, it times (median of ``--repeat`` runs):

- ``baseline``: a bare query fetching the same attempt rows the gains read (no joins, no work);
- ``gains``: ``training.gains.labelled`` for every session (what the page and the CSV compute);
- ``page``: GET /bimtek/hasil/ through Django's full stack, as the demo's observer;
- ``csv``: GET /bimtek/hasil/ekspor.csv, streamed to the end.

Ratios are against the baseline of the same run (the machine is shared). Issue 13.5 measured the
page at 1.0–1.3 s before (per-attempt JSON decoding in Python). Prints one JSON document.

    .venv/bin/python bench/training_gains.py [--database-url URL] [--repeat 5]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
from _common import REPO, setup_django  # noqa: E402


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(repeat: int) -> dict:
    setup_django()
    from django.test import Client

    from kawaltps.people.models import User
    from kawaltps.training import gains
    from kawaltps.training.models import Session, TestAttempt

    sessions = Session.objects.all()
    client = Client()
    client.force_login(User.objects.get(username="observer"))

    def baseline():
        list(TestAttempt.objects.filter(submitted_at__isnull=False)
             .values_list("enrolment_id", "kind", "score", "passed", "enrolment__session_id"))

    def page():
        r = client.get("/bimtek/hasil/", HTTP_HOST="127.0.0.1")
        assert r.status_code == 200, r.status_code

    def csv():
        r = client.get("/bimtek/hasil/ekspor.csv", HTTP_HOST="127.0.0.1")
        assert r.status_code == 200, r.status_code
        return b"".join(r.streaming_content)

    page()  # warm: templates, translations, connections
    rows = csv().decode().count("\n") - 1
    t = {"baseline": _median(baseline, repeat), "gains": _median(lambda: gains.labelled(sessions), repeat),
         "page": _median(page, repeat), "csv": _median(csv, repeat)}
    return {
        "sessions": sessions.count(), "tests": TestAttempt.objects.filter(submitted_at__isnull=False).count(),
        "csv_rows": rows, "repeat": repeat,
        **{f"{k}_s": round(v, 4) for k, v in t.items()},
        **{f"{k}_vs_baseline": round(t[k] / t["baseline"], 2) for k in ("gains", "page", "csv")},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="an existing demo database (default: build one on SQLite)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.repeat)))
        return
    env = {**os.environ}
    env.pop("DATABASE_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
        env.setdefault("KAWALTPS_DATA_DIR", tempfile.mkdtemp(prefix="kawaltps-bench-"))
        demo_s = None
    else:
        env["KAWALTPS_DATA_DIR"] = tempfile.mkdtemp(prefix="kawaltps-bench-")
        start = time.perf_counter()
        subprocess.run([str(REPO / ".venv/bin/kawaltps"), "demo", "--no-serve"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        demo_s = round(time.perf_counter() - start, 1)
    out = subprocess.run([sys.executable, str(HERE), "--child", "--repeat", str(args.repeat)], env=env,
                         capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr[-4000:])
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(json.dumps({"bench": "training_gains", "database": "given" if args.database_url else "sqlite (fresh demo)",
                      "demo_s": demo_s, **result}))


if __name__ == "__main__":
    main()
