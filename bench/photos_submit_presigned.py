"""C.Hasil submissions with presigned photo uploads over HTTP, each part's rate, beside ``/health``.

**One "submission with presigned upload"** (what a phone does for a C.Hasil with one page photo):

1. ``POST /api/results/photos/presign`` (a pending ``PhotoUpload``, a signed PUT URL);
2. ``PUT`` the JPEG to that URL — straight to SeaweedFS, not through a web process;
3. ``POST /api/results/photos/uploads/{id}/done`` (the confirmation: the ``results.verify_photo``
   job is queued; the photo is accepted only when that job has checked it);
4. ``POST /api/results/submissions`` (the C.Hasil numbers).

A flow counts when all four were answered 2xx. The check itself runs on ``kawaltps worker``
processes (in production other machines): by default the worker starts after the load phases,
so the web rate is what 2 cores give for the four requests, and then reports how fast it checked
the queued uploads (``--worker-during-load`` runs it beside the load instead).

Starts a real SeaweedFS (``weed server -s3``), a fresh PostgreSQL database (``--database``; Jakarta
demo election, 14,835 TPS), gunicorn (``--workers``, sync) with ``KAWALTPS_S3_*`` and a broker
(``--broker``, this bench's own Redis db: flushed). Phases, each bounded in time (``--seconds``)
from ``--connections`` concurrent phones of an asyncio client (``_rawhttp.py``: httpx threads cost
more CPU than the server and measured themselves): ``health`` (the bare JSON endpoint: baseline),
``submission`` alone, ``presign`` alone, ``put`` alone (to the URLs of the presign phase),
``done`` alone (those uploads), then ``flow`` (the four in turn). Per phase: per second, p50/p99 ms,
errors, and the CPU it cost per request (gunicorn, PostgreSQL backends, SeaweedFS, the load
generator; ``capacity_per_second_idle_cores`` = cores / server-side CPU per request).

Second pass (issue 15): ``slots`` = ``POST /submissions`` with ``photos`` (the answer carries the
upload slot, ``upload_slots.py``) → PUT → done; ``slots_nodone`` = the same without done (the
workers' ``uploads.sweep_arrived`` starts the check; timed afterwards). ``--loadgen wrk`` drives the
one-URL phases (health, submission) with wrk; ``--no-s3``/``--no-broker`` were the diagnosis of
the submission's cost (neither changes it).

    .venv/bin/python bench/photos_submit_presigned.py [--seconds 8] [--connections 16] [--workers 2]
        [--loadgen rawhttp|wrk] [--phases health,submission,presign,put,done,flow,slots,slots_nodone]
        [--no-s3] [--no-broker]
        [--database NAME] [--broker redis://127.0.0.1:6379/7] [--worker-during-load]
"""

import argparse
import asyncio
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))
from _common import cpu_seconds, fresh_pg_database, pgid  # noqa: E402
from _rawhttp import Client  # noqa: E402
from results_submit_http import run_wrk  # noqa: E402

WRK_MODES = {"health": "health", "submission": "submit"}  # phases wrk can drive (one server, one URL)

VOTES = {"1": 120, "2": 30, "3": 150}
NUMBERS = {"suara_sah": 300, "suara_tidak_sah": 10, "suara_total": 310, "pengguna_total_j": 310}
MAX_PER_PHASE = 5000  # phases step this far through the 14,835 TPS: a submission meets a fresh TPS


class Load:
    """The phases against one server; uploads presigned in one phase feed the ``put``/``done`` phases."""

    def __init__(self, url: str, key: str, codes: list[str], slug: str, photo: bytes, args) -> None:
        self.url, self.codes, self.slug, self.photo, self.args = url, codes, slug, photo, args
        self.head = {"Authorization": f"Bearer {key}"}
        self.run = uuid.uuid4().hex[:8]
        self.signed: list[dict] = []  # presign answers of the presign phase
        self.put_ok: list[dict] = []
        self.offset = 0

    async def presign(self, c: Client, i: int) -> dict:
        r = await c.json("POST", f"{self.url}/api/results/photos/presign", {
            "client_id": f"{self.run}-f-{i}", "election": self.slug, "tps": self.codes[i % len(self.codes)],
            "page": 1}, self.head)
        if r.status != 201:
            raise RuntimeError(f"presign {r.status}")
        return r.json()

    async def put(self, c: Client, a: dict) -> None:
        r = await c.request("PUT", a["url"], self.photo)
        if r.status != 200:
            raise RuntimeError(f"put {r.status}")

    async def done(self, c: Client, a: dict) -> None:
        r = await c.request("POST", f"{self.url}/api/results/photos/uploads/{a['upload']}/done", b"", self.head)
        if r.status != 202:
            raise RuntimeError(f"done {r.status}")

    async def submit(self, c: Client, i: int) -> None:
        r = await c.json("POST", f"{self.url}/api/results/submissions", {
            "client_id": f"{self.run}-s-{i}", "election": self.slug, "tps": self.codes[i % len(self.codes)],
            "kind": "saksi", "votes": VOTES, "numbers": NUMBERS}, self.head)
        if r.status != 201:
            raise RuntimeError(f"submission {r.status}")

    async def submit_with_slot(self, c: Client, i: int) -> dict:
        r = await c.json("POST", f"{self.url}/api/results/submissions", {
            "client_id": f"{self.run}-s-{i}", "election": self.slug, "tps": self.codes[i % len(self.codes)],
            "kind": "saksi", "votes": VOTES, "numbers": NUMBERS,
            "photos": [{"client_id": f"{self.run}-f-{i}", "page": 1}]}, self.head)
        if r.status != 201:
            raise RuntimeError(f"submission {r.status}")
        return r.json()["uploads"][0]

    async def step(self, mode: str, c: Client, i: int, steps: dict) -> None:
        if mode == "health":
            r = await c.request("GET", f"{self.url}/health")
            if r.status != 200:
                raise RuntimeError(f"health {r.status}")
        elif mode == "submission":
            await self.submit(c, self.offset + i)
        elif mode == "presign":
            self.signed.append(await self.presign(c, self.offset + i))
        elif mode == "put":
            await self.put(c, self.signed[i])
            self.put_ok.append(self.signed[i])
        elif mode == "done":
            await self.done(c, self.put_ok[i])
        elif mode in ("slots", "slots_nodone"):  # the submission asks for its upload slot; done optional
            t = time.perf_counter()
            a = await self.submit_with_slot(c, self.offset + i)
            now = time.perf_counter()
            steps["submission"].append((now - t) * 1000)
            await self.put(c, a)
            steps["put"].append((time.perf_counter() - now) * 1000)
            if mode == "slots":
                now = time.perf_counter()
                await self.done(c, a)
                steps["done"].append((time.perf_counter() - now) * 1000)
        else:  # flow: the four requests of one submission with a presigned upload
            t = time.perf_counter()

            def lap(name: str, t: float) -> float:
                now = time.perf_counter()
                steps[name].append((now - t) * 1000)
                return now

            a = await self.presign(c, self.offset + i)
            t = lap("presign", t)
            await self.put(c, a)
            t = lap("put", t)
            await self.done(c, a)
            t = lap("done", t)
            await self.submit(c, self.offset + i)
            lap("submission", t)

    async def phase(self, mode: str, seconds: float) -> dict:
        limit = {"put": len(self.signed), "done": len(self.put_ok)}.get(mode, MAX_PER_PHASE)
        self.offset += MAX_PER_PHASE  # every phase its own client ids (the warm-up's are not reused)
        counter = iter(range(limit))
        times, errors = [], []
        steps = {"presign": [], "put": [], "done": [], "submission": []}
        deadline = time.monotonic() + seconds

        async def phone() -> None:
            c = Client()
            try:
                while time.monotonic() < deadline and (i := next(counter, None)) is not None:
                    t = time.perf_counter()
                    try:
                        await self.step(mode, c, i, steps)
                    except Exception as exc:  # noqa: BLE001 - counted and reported
                        errors.append(str(exc)[:40])
                        continue
                    times.append((time.perf_counter() - t) * 1000)
            finally:
                c.close()

        t0 = time.perf_counter()
        await asyncio.gather(*(phone() for _ in range(self.args.connections)))
        elapsed = time.perf_counter() - t0
        arr = np.array(times or [0.0])
        out = {"count": len(times), "seconds": round(elapsed, 2), "per_second": round(len(times) / elapsed, 1),
               "p50_ms": round(float(np.median(arr)), 1), "p99_ms": round(float(np.percentile(arr, 99)), 1),
               "errors": len(errors), "error_kinds": sorted(set(errors))[:5]}
        if mode in ("flow", "slots", "slots_nodone"):
            out["step_p50_ms"] = {k: round(float(np.median(v)), 1) for k, v in steps.items() if v}
        return out




def cpu_snapshot(web_group: int, weed_pid: int) -> dict[str, float]:
    """CPU seconds so far: gunicorn (its process group), the bench database's PostgreSQL backends,
    SeaweedFS, and this process (the load generator)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        backends = [r[0] for r in cur.fetchall()]
    web = [int(d) for d in os.listdir("/proc") if d.isdigit() and pgid(int(d)) == web_group]
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"gunicorn": sum(map(cpu_seconds, web)), "postgres": {p: cpu_seconds(p) for p in backends},
            "seaweedfs": cpu_seconds(weed_pid),
            "load_generator": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime}  # wrk is a child


def measured(load: Load, mode: str, seconds: float, web_group: int, weed_pid: int) -> dict:
    before = cpu_snapshot(web_group, weed_pid)
    if load.args.loadgen == "wrk" and mode in WRK_MODES:  # one URL: wrk (C) instead of the asyncio client
        r = run_wrk(load.url, WRK_MODES[mode], load.head["Authorization"][7:], load.codes, load.slug,
                    argparse.Namespace(connections=load.args.connections, seconds=int(seconds)))
        out = {"count": r["ok"], "seconds": r["seconds"], "per_second": round(r["ok"] / r["seconds"], 1),
               "p50_ms": r["p50_ms"], "p99_ms": r["p99_ms"], "errors": r["other"] + r["socket_errors"],
               "load_generator_kind": "wrk"}
    else:
        out = asyncio.run(load.phase(mode, seconds))
    after = cpu_snapshot(web_group, weed_pid)
    used = {k: after[k] - before[k] for k in ("gunicorn", "seaweedfs", "load_generator")}
    used["postgres"] = sum(v - before["postgres"].get(p, 0.0) for p, v in after["postgres"].items())
    n = max(out["count"], 1)
    out["cpu_ms_per_request"] = {k: round(v * 1000 / n, 3) for k, v in used.items()}
    server = sum(v for k, v in out["cpu_ms_per_request"].items() if k != "load_generator")
    out["capacity_per_second_idle_cores"] = round((os.cpu_count() or 1) * 1000 / max(server, 1e-3), 1)
    return out


def start_worker(venv: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([str(venv / "kawaltps"), "worker", "--concurrency", "1"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=8, help="seconds per phase (default 8)")
    ap.add_argument("--connections", type=int, default=16, help="concurrent phones (default 16)")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    ap.add_argument("--broker", default="redis://127.0.0.1:6379/7", help="broker (this bench's own db: flushed)")
    ap.add_argument("--database", default=os.environ.get("KAWALTPS_BENCH_DATABASE", "kawaltps_bench_photos_submit"),
                    help="PostgreSQL database (dropped and created)")
    ap.add_argument("--worker-during-load", action="store_true", help="run the check worker beside the load")
    ap.add_argument("--check-seconds", type=float, default=120, help="how long to let the worker check afterwards")
    ap.add_argument("--loadgen", choices=("rawhttp", "wrk"), default="rawhttp",
                    help="client of the one-URL phases (health, submission): the asyncio client or wrk")
    ap.add_argument("--phases", default="health,submission,presign,put,done,flow", help="phases, in order")
    ap.add_argument("--no-s3", action="store_true", help="diagnosis: gunicorn without KAWALTPS_S3_*")
    ap.add_argument("--no-broker", action="store_true", help="diagnosis: gunicorn without a broker")
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
        env = {**os.environ, "DATABASE_URL": fresh_pg_database(args.database),
               "KAWALTPS_DATA_DIR": tempfile.mkdtemp(prefix="kawaltps-bench-"), "KAWALTPS_S3_BUCKET": seaweed.BUCKET,
               "KAWALTPS_S3_ENDPOINT_URL": endpoint, "KAWALTPS_S3_ACCESS_KEY": seaweed.KEY,
               "KAWALTPS_S3_SECRET_KEY": seaweed.KEY, "DJANGO_SETTINGS_MODULE": "kawaltps.settings",
               "KAWALTPS_BROKER_URL": args.broker}
        import redis

        redis.Redis.from_url(args.broker).flushdb()  # this bench's own Redis db only
        os.environ.update(env)
        dropped = (("KAWALTPS_S3",) if args.no_s3 else ()) + (("KAWALTPS_BROKER_URL",) if args.no_broker else ())
        web_env = {k: v for k, v in env.items() if not k.startswith(dropped or ("\0",))}
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
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        venv = Path(sys.executable).parent
        web = subprocess.Popen([str(venv / "gunicorn"), "kawaltps.wsgi", "--bind", f"127.0.0.1:{port}",
                                "--workers", str(args.workers), "--log-level", "warning"], env=web_env,
                               start_new_session=True)
        procs.append(web)
        if args.worker_during_load:
            procs.append(start_worker(venv, env))
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
        load = Load(url, key, codes, election.slug, photo, args)
        out = {"workers": args.workers, "connections": args.connections, "photo_bytes": len(photo),
               "load_average_before": round(os.getloadavg()[0], 2),
               "check": "worker beside the load" if args.worker_during_load else "worker after the load phases"}
        print(f"warm-up (not counted): {asyncio.run(load.phase('flow', 3))}", file=sys.stderr)
        for mode in args.phases.split(","):
            out[mode] = measured(load, mode, args.seconds, web.pid, weed.pid)
            print(f"{mode}: {out[mode]}", file=sys.stderr)
        out["load_average_after"] = round(os.getloadavg()[0], 2)
        health = out["health"]["per_second"]
        out["ratios_to_health"] = {m: round(out[m]["per_second"] / max(health, 1e-9), 3)
                                   for m in args.phases.split(",") if m != "health"}
        out["target_flows_per_second"] = 500
        out["meets_target"] = {m: out[m]["per_second"] >= 500 and out[m]["p99_ms"] < 200
                               for m in ("flow", "slots", "slots_nodone") if m in out}
        from kawaltps.results.models import PhotoUpload

        if not args.worker_during_load:
            procs.append(start_worker(venv, env))
        pending = PhotoUpload.objects.filter(status="pending", job__isnull=False)  # confirmed (done) ones
        if "slots_nodone" in out:  # what the workers' sweep does for uploads never confirmed (timed)
            from kawaltps.results import uploads

            t0 = time.monotonic()
            started = uploads.sweep_arrived(limit=100000)["started"]
            out["sweep_arrived"] = {"started": started, "seconds": round(time.monotonic() - t0, 2)}
        before, t0 = pending.count(), time.monotonic()
        while pending.exists() and time.monotonic() - t0 < args.check_seconds:
            time.sleep(1)
        checked = before - pending.count()
        confirmed = PhotoUpload.objects.filter(job__isnull=False)
        out["uploads_confirmed"] = {s: confirmed.filter(status=s).count() for s in ("accepted", "refused", "pending")}
        out["checks_per_second_one_worker"] = round(checked / (time.monotonic() - t0), 2)
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
