"""Benchmark: the readiness page for all of Jakarta with 30,000 volunteers, served by gunicorn.

Sets up a fresh SQLite database (``--postgresql`` for a fresh PostgreSQL one) with the demo's
Jakarta regions, the 14,835-TPS governor election and the volunteer demo step (30,000 volunteers,
timed: the demo step must stay under 20 s), moves a third of them to trained and a quarter to
certified, then starts gunicorn and times GET /relawan/kesiapan/ logged in as an observer.
Baseline in the same run: GET /health on the same server. Target (issue 5): under 300 ms.
Reports the first (uncached) request and the median/p95 of the following ones. Prints one JSON document.

    .venv/bin/python bench/readiness_page.py [--requests 30] [--postgresql]
"""

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
from _common import fresh_env, fresh_pg_database, setup_django, timer  # noqa: E402

TARGET_MS = 300


def setup(env: dict) -> dict:
    """Run in a child process with ``env``: build the data, return a session cookie and timings."""
    os.environ.update(env)
    setup_django()
    from types import SimpleNamespace

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from kawaltps.elections.demo import create_election
    from kawaltps.people.demo import ORGANISATIONS
    from kawaltps.people.models import Organisation, Role, User
    from kawaltps.regions import demo as regions_demo
    from kawaltps.volunteers import demo as volunteers_demo
    from kawaltps.volunteers.models import Volunteer

    call_command("migrate", verbosity=0)
    regions_demo.import_regions(regions_demo.JAKARTA_REGIONS)
    election, _ = create_election()
    for name in ORGANISATIONS:
        Organisation.objects.get_or_create(name=name)
    with timer() as demo_t:
        volunteers_demo.populate(SimpleNamespace(election=election))
    ids = list(Volunteer.objects.order_by("pk").values_list("pk", flat=True))
    Volunteer.objects.filter(pk__in=ids[: len(ids) // 3]).update(status="trained")
    Volunteer.objects.filter(pk__in=ids[: len(ids) // 4]).update(status="certified")
    user = User.objects.create_user("bench-observer", password="x-bench-12345", role=Role.OBSERVER)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {"cookie": session.session_key, "election": election.slug, "volunteers": len(ids),
            "tps": election.tps_set.count(), "demo_populate_seconds": round(demo_t.seconds, 2)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed_gets(client, url: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"GET {url} → {r.status_code}")
    return times


def main() -> None:
    import httpx

    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--postgresql", action="store_true")
    args = parser.parse_args()
    env = fresh_env(fresh_pg_database("volunteers_bench_readiness") if args.postgresql else None)
    out = subprocess.run([sys.executable, str(HERE), "--setup"], env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr[-4000:])
    info = json.loads(out.stdout.strip().splitlines()[-1])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen([gunicorn, "kawaltps.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                               "--timeout", "60"], env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with httpx.Client(base_url=base, cookies={"sessionid": info["cookie"]}, timeout=30) as client:
            for _ in range(100):
                try:
                    client.get("/health")
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            page = f"/relawan/kesiapan/?pemilihan={info['election']}"
            first = timed_gets(client, page, 1)[0]
            body = client.get(page).text
            assert body.count("<rect") == 267, "the map should have 267 kelurahan"
            times = timed_gets(client, page, args.requests)
            health = timed_gets(client, "/health", args.requests)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    median, health_median = statistics.median(times), statistics.median(health)
    print(json.dumps({
        "benchmark": "readiness_page", "database": "postgresql" if args.postgresql else "sqlite",
        "volunteers": info["volunteers"], "tps": info["tps"], "requests": args.requests,
        "target_ms": TARGET_MS, "page_bytes": len(body.encode()),
        "first_request_ms": round(first, 1),
        "median_ms": round(median, 1), "p95_ms": round(sorted(times)[int(0.95 * len(times)) - 1], 1),
        "baseline": {"what": "GET /health on the same gunicorn", "median_ms": round(health_median, 1)},
        "ratio_to_baseline": round(median / health_median, 1),
        "within_target": first < TARGET_MS and median < TARGET_MS,
        "volunteer_demo_seconds": info["demo_populate_seconds"], "volunteer_demo_target_seconds": 20,
    }, indent=2))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--setup"]:
        print(json.dumps(setup(dict(os.environ))))
    else:
        main()
