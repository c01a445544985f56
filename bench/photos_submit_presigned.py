"""C.Hasil submissions with presigned photo uploads over HTTP, beside the bare JSON endpoints.

Starts a real SeaweedFS (``weed server -s3``), a fresh PostgreSQL database (Jakarta demo
election, 14,835 TPS), gunicorn (``--workers``) with ``KAWALTPS_S3_*`` set, and — so the check
runs off the web processes as in production — one ``kawaltps worker`` on Redis db 7
(``--broker``; ``--no-broker`` runs the check inside the ``done`` request instead). Then three
phases, each bounded in time, from ``--connections`` client threads (httpx):

1. ``GET /health`` (the bare JSON endpoint: baseline);
2. ``POST /api/results/submissions`` alone (a submission without photo);
3. a submission with one photo the way a phone sends it: ``POST /photos/presign`` → ``PUT`` the
   JPEG to SeaweedFS → ``POST /photos/uploads/{id}/done`` → ``POST /submissions``.

A 4-second photo phase first warms every process (boto3 client, broker connection), not counted.
Per phase: completed flows per second, p50/p99 of a whole flow (ms), errors. Afterwards it waits
for the worker to check every upload and reports accepted/refused/pending. The photo is a
generated C.Hasil page (``chasil_images.py``, ~0.4 MP); the cost of checking phone-sized photos is
``bench/photos_verify.py``. The client threads share the 2 cores with the server.

    .venv/bin/python bench/photos_submit_presigned.py [--seconds 10] [--connections 8] [--workers 2]
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))
from _common import fresh_pg_database  # noqa: E402

VOTES = {"1": 120, "2": 30, "3": 150}
NUMBERS = {"suara_sah": 300, "suara_tidak_sah": 10, "suara_total": 310, "pengguna_total_j": 310}


def load(url: str, key: str, codes: list[str], slug: str, mode: str, args, photo: bytes) -> dict:
    import httpx

    lock, counter = threading.Lock(), iter(range(10**9))
    times, errors = [], []
    deadline = time.monotonic() + args.seconds
    run = uuid.uuid4().hex[:8]
    head = {"Authorization": f"Bearer {key}"}

    steps = {"presign": [], "put": [], "done": [], "submit": []}

    def timed(name, t):
        steps[name].append((time.perf_counter() - t) * 1000)
        return time.perf_counter()

    def flow(client, i: int) -> None:
        code = codes[i % len(codes)]
        if mode == "health":
            r = client.get(f"{url}/health")
            r.raise_for_status()
            return
        t = time.perf_counter()
        if mode == "photo":
            r = client.post(f"{url}/api/results/photos/presign", headers=head, json={
                "client_id": f"{run}-f-{i}", "election": slug, "tps": code, "page": 1})
            r.raise_for_status()
            a = r.json()
            t = timed("presign", t)
            client.put(a["url"], content=photo).raise_for_status()
            t = timed("put", t)
            client.post(f"{url}/api/results/photos/uploads/{a['upload']}/done", headers=head).raise_for_status()
            t = timed("done", t)
        r = client.post(f"{url}/api/results/submissions", headers=head, json={
            "client_id": f"{run}-s-{i}", "election": slug, "tps": code, "kind": "saksi", "votes": VOTES,
            "numbers": NUMBERS})
        r.raise_for_status()
        timed("submit", t)

    def worker():
        with httpx.Client(timeout=30) as client:
            while time.monotonic() < deadline:
                with lock:
                    i = next(counter)
                t = time.perf_counter()
                try:
                    flow(client, i)
                except Exception as exc:  # noqa: BLE001 - counted, reported
                    errors.append(type(exc).__name__)
                    continue
                times.append((time.perf_counter() - t) * 1000)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(args.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - t0
    arr = np.array(times or [0.0])
    return {"flows": len(times), "per_second": round(len(times) / seconds, 1),
            "p50_ms": round(float(np.median(arr)), 1), "p99_ms": round(float(np.percentile(arr, 99)), 1),
            "errors": len(errors), "error_kinds": sorted(set(errors)),
            "step_p50_ms": {k: round(float(np.median(v)), 1) for k, v in steps.items() if v}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=10, help="seconds per phase (default 10)")
    ap.add_argument("--connections", type=int, default=8, help="client threads (default 8)")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    ap.add_argument("--no-broker", action="store_true", help="check photos inside the done request")
    ap.add_argument("--broker", default="redis://127.0.0.1:6379/7", help="broker for the check worker")
    args = ap.parse_args()
    from tests import seaweed

    reason = seaweed.skip_reason()
    if reason:
        print(json.dumps({"skipped": reason}))
        return
    procs = []
    weed, endpoint, _s3 = seaweed.start(Path(tempfile.mkdtemp(prefix="kawaltps-bench-weed-")))
    procs.append(weed)
    try:
        env = {**os.environ, "DATABASE_URL": fresh_pg_database("kawaltps_bench_photos_submit"),
               "KAWALTPS_DATA_DIR": tempfile.mkdtemp(prefix="kawaltps-bench-"), "KAWALTPS_S3_BUCKET": seaweed.BUCKET,
               "KAWALTPS_S3_ENDPOINT_URL": endpoint, "KAWALTPS_S3_ACCESS_KEY": seaweed.KEY,
               "KAWALTPS_S3_SECRET_KEY": seaweed.KEY, "DJANGO_SETTINGS_MODULE": "kawaltps.settings"}
        if not args.no_broker:
            env["KAWALTPS_BROKER_URL"] = args.broker
            import redis

            redis.Redis.from_url(args.broker).flushdb()  # this bench's own Redis db only
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from kawaltps.elections.demo import create_election
        from kawaltps.people.models import ApiToken, User
        from kawaltps.regions import demo as regions_demo

        regions_demo.import_regions(regions_demo.JAKARTA_REGIONS)
        election, _ = create_election()
        user = User.objects.create_user("bench-admin", password="x-bench-123456", role="admin", is_superuser=True)
        _, key = ApiToken.issue(user, "bench")
        codes = list(election.tps_set.order_by("code").values_list("code", flat=True))
        from django.db import connections

        connections.close_all()
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        venv = Path(sys.executable).parent
        procs.append(subprocess.Popen([str(venv / "gunicorn"), "kawaltps.wsgi", "--bind", f"127.0.0.1:{port}",
                                       "--workers", str(args.workers), "--log-level", "warning"], env=env,
                                      start_new_session=True))
        if not args.no_broker:
            procs.append(subprocess.Popen([str(venv / "kawaltps"), "worker", "--concurrency", "1"], env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          start_new_session=True))
        url = f"http://127.0.0.1:{port}"
        import httpx

        for _ in range(120):
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        import chasil_images

        photo = chasil_images.photograph(chasil_images.form(1), 1)
        out = {"workers": args.workers, "connections": args.connections, "photo_bytes": len(photo),
               "check": "in the done request" if args.no_broker else "on one kawaltps worker (Redis)"}
        warm = argparse.Namespace(**{**vars(args), "seconds": 4})
        print(f"warm-up (not counted): {load(url, key, codes, election.slug, 'photo', warm, photo)}", file=sys.stderr)
        for mode in ("health", "submission", "photo"):
            out[mode] = load(url, key, codes, election.slug, mode, args, photo)
            print(f"{mode}: {out[mode]}", file=sys.stderr)
        from kawaltps.results.models import PhotoUpload

        deadline = time.monotonic() + 300
        while PhotoUpload.objects.filter(status="pending").exists() and time.monotonic() < deadline:
            time.sleep(1)
        out["uploads"] = {s: PhotoUpload.objects.filter(status=s).count() for s in ("accepted", "refused", "pending")}
        ratio = out["photo"]["per_second"] / max(out["submission"]["per_second"], 1e-9)
        out["photo_vs_submission_ratio"] = round(ratio, 2)
        out["load_average"] = os.getloadavg()[0]
        print(json.dumps(out, indent=1))
    finally:
        for p in reversed(procs):
            try:
                os.killpg(p.pid, signal.SIGTERM) if p is not weed else p.kill()
            except ProcessLookupError:
                pass
            p.wait()


if __name__ == "__main__":
    main()
