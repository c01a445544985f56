"""HTTP result submissions per second on PostgreSQL, against a bare JSON endpoint of the same server.

Starts gunicorn (``--workers`` 3) on a free localhost port with a fresh PostgreSQL database
(``KAWALTPS_BENCH_DATABASE_URL``, default postgres://postgres@127.0.0.1:5432/capture_bench), loads
the demo election (14,835 TPS), then drives it from a pool of threads (httpx, bounded number of
requests): first GET /health (baseline), then POST /api/results/submissions, one first entry per
TPS with a fresh client_id, bearer-token authenticated. The load generator runs on the same
machine and takes CPU from the server, so both numbers are lower bounds. Prints one JSON document.

    .venv/bin/python bench/results_submit_http.py [--requests 3000] [--threads 16] [--workers 3]
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

DB_URL = os.environ.get("KAWALTPS_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/capture_bench")
DATA_DIR = "/tmp/ktps-capture-bench"


def fresh_database() -> None:
    import psycopg

    base, name = DB_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup() -> tuple[str, list[str]]:
    os.environ.update(DATABASE_URL=DB_URL, KAWALTPS_DATA_DIR=DATA_DIR, DJANGO_SETTINGS_MODULE="kawaltps.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kawaltps.elections.demo import create_election
    from kawaltps.people.models import ApiToken, User
    from kawaltps.regions import demo as regions_demo

    regions_demo.import_regions(regions_demo.JAKARTA_REGIONS)
    election, _ = create_election()
    user = User.objects.create_user("bench-clerk", password="x-bench-123456", role="clerk")
    _, key = ApiToken.issue(user, "bench")
    return key, list(election.tps_set.order_by("code").values_list("code", flat=True)), election.slug


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_load(make_request, n: int, threads: int) -> dict:
    import httpx

    counter = iter(range(n))
    lock = threading.Lock()
    statuses: dict[int, int] = {}

    def worker():
        with httpx.Client(timeout=30) as client:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                status = make_request(client, i).status_code
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    t0 = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    seconds = time.perf_counter() - t0
    return {"requests": n, "seconds": round(seconds, 3), "per_second": round(n / seconds, 1), "statuses": statuses}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    try:
        fresh_database()
    except Exception as exc:  # noqa: BLE001
        print(json.dumps({"skipped": f"PostgreSQL not reachable at {DB_URL}: {exc}"}))
        return
    key, codes, slug = setup()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    env = {**os.environ, "DATABASE_URL": DB_URL, "KAWALTPS_DATA_DIR": DATA_DIR}
    server = subprocess.Popen([gunicorn, "kawaltps.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
                               str(args.workers), "--timeout", "60"], env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import httpx

        for _ in range(300):
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        headers = {"Authorization": f"Bearer {key}"}
        n = min(args.requests, len(codes))
        votes = {"1": 120, "2": 30, "3": 150}
        numbers = {"suara_sah": 300, "suara_tidak_sah": 10, "suara_total": 310, "pengguna_total_j": 310}
        run_load(lambda c, i: c.get(f"{url}/health"), 200, args.threads)  # warm up
        baseline = run_load(lambda c, i: c.get(f"{url}/health"), n, args.threads)
        submit = run_load(lambda c, i: c.post(f"{url}/api/results/submissions", headers=headers, json={
            "client_id": str(uuid.uuid4()), "election": slug, "tps": codes[i], "kind": "clerk",
            "votes": votes, "numbers": numbers}), n, args.threads)
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    from kawaltps.results.models import RegionTally, Submission

    top = RegionTally.objects.get(code="31", source="witness")
    print(json.dumps({
        "benchmark": "results_submit_http", "database": "postgresql", "gunicorn_workers": args.workers,
        "client_threads": args.threads, "cpus": os.cpu_count(),
        "submissions": submit, "baseline_health": baseline,
        "ratio_submit_to_baseline": round(submit["per_second"] / baseline["per_second"], 3),
        "target_per_second": 500, "meets_target": submit["per_second"] >= 500,
        "stored_submissions": Submission.objects.count(), "province_tps_entered": top.tps_entered,
    }, indent=2))


if __name__ == "__main__":
    main()
