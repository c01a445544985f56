"""Benchmark: the election-day board for all of Jakarta with 30,000 check-ins, served by gunicorn.

Sets up a fresh SQLite database (``--postgresql`` for a fresh PostgreSQL one) with the demo's
Jakarta regions and the 14,835-TPS governor election, 26,000 saksi logins and 30,000 check-ins
(bulk inserted: 12,000 TPS with 2 saksi, 2,000 with 1, 835 with none, 4,000 repeated), then starts
gunicorn and times GET /hari-h/papan/ (the province: rows per kota and the kelurahan tile map) and
/hari-h/papan/data.json logged in as an observer. Baseline in the same run: GET /health on the same
server. Target (issue 10): under 300 ms. Prints one JSON document.

    .venv/bin/python bench/fieldday_board.py [--requests 20] [--postgresql [--pg-name NAME]]
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
from _common import fresh_env, fresh_pg_database, setup_django  # noqa: E402
from readiness_page import free_port, timed_gets  # noqa: E402

TARGET_MS = 300
CHECKINS = 30_000


def setup(env: dict) -> dict:
    os.environ.update(env)
    setup_django()
    import random
    import uuid

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from kawaltps.elections.demo import create_election
    from kawaltps.fieldday.models import CheckIn
    from kawaltps.people.models import Role, User
    from kawaltps.regions import demo as regions_demo

    call_command("migrate", verbosity=0)
    regions_demo.import_regions(regions_demo.JAKARTA_REGIONS)
    election, _ = create_election()
    tps = list(election.tps_set.values_list("pk", "code"))
    rng = random.Random(10)
    users = User.objects.bulk_create([User(username=f"s{i}", role=Role.SAKSI, password="!") for i in range(26_000)],
                                     batch_size=5000)
    if users[0].pk is None:  # SQLite before RETURNING: read the ids back
        users = list(User.objects.filter(username__startswith="s").order_by("pk"))
    # 12,000 TPS with 2 saksi, 2,000 with 1, the rest none; 4,000 saksi check in a second time.
    drawn = rng.sample(tps, k=14_000)
    now = timezone.now()
    rows, k = [], 0
    for i, (pk, code) in enumerate(drawn):
        for _ in range(2 if i < 12_000 else 1):
            rows.append(CheckIn(election=election, tps_id=pk, tps_code=code, user=users[k], client_id=uuid.uuid4(),
                                at=now, far=rng.random() < 0.03))
            k += 1
    rows += [CheckIn(election=election, tps_id=r.tps_id, tps_code=r.tps_code, user=r.user, client_id=uuid.uuid4(),
                     at=now) for r in rng.sample(rows, k=CHECKINS - len(rows))]
    CheckIn.objects.bulk_create(rows, batch_size=5000)
    user = User.objects.create_user("bench-observer", password="x-bench-12345", role=Role.OBSERVER)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {"cookie": session.session_key, "election": election.slug, "tps": len(tps),
            "checkins": CheckIn.objects.count()}


def main() -> None:
    import httpx

    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--postgresql", action="store_true")
    parser.add_argument("--pg-name", default="fieldday_bench_board", help="PostgreSQL database (dropped, created)")
    args = parser.parse_args()
    env = fresh_env(fresh_pg_database(args.pg_name) if args.postgresql else None)
    out = subprocess.run([sys.executable, str(HERE), "--setup"], env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr[-4000:])
    info = json.loads(out.stdout.strip().splitlines()[-1])
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen([gunicorn, "kawaltps.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                               "--timeout", "60"], env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", cookies={"sessionid": info["cookie"]},
                          timeout=30) as client:
            for _ in range(100):
                try:
                    client.get("/health")
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            import re

            client.cookies.clear()  # log in through the login page, as a person does
            html = client.get("/masuk/").text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
            client.post("/masuk/", data={"username": "bench-observer", "password": "x-bench-12345",
                                         "csrfmiddlewaretoken": token}, headers={"Referer": str(client.base_url)})
            page = f"/hari-h/papan/?pemilihan={info['election']}"
            first = timed_gets(client, page, 1)[0]
            body = client.get(page).text
            assert body.count("<rect") == 267, "the map should have 267 kelurahan"
            times = timed_gets(client, page, args.requests)
            data = client.get(f"/hari-h/papan/data.json?pemilihan={info['election']}").json()
            json_times = timed_gets(client, f"/hari-h/papan/data.json?pemilihan={info['election']}", args.requests)
            health = timed_gets(client, "/health", args.requests)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
    median, health_median = statistics.median(times), statistics.median(health)
    print(json.dumps({
        "benchmark": "fieldday_board", "database": "postgresql" if args.postgresql else "sqlite",
        "tps": info["tps"], "checkins": info["checkins"], "requests": args.requests, "target_ms": TARGET_MS,
        "board_totals": data["total"], "first_request_ms": round(first, 1), "median_ms": round(median, 1),
        "p95_ms": round(sorted(times)[int(0.95 * len(times)) - 1], 1),
        "json_median_ms": round(statistics.median(json_times), 1),
        "baseline": {"what": "GET /health on the same gunicorn", "median_ms": round(health_median, 1)},
        "ratio_to_baseline": round(median / health_median, 1),
        "within_target": first < TARGET_MS and median < TARGET_MS,
    }, indent=2))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--setup"]:
        print(json.dumps(setup(dict(os.environ))))
    else:
        main()
