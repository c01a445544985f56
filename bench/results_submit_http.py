"""HTTP result submissions per second on PostgreSQL, against a bare JSON endpoint of the same server.

Starts gunicorn (``--workers``, default one per core; ``--worker-class`` sync or gthread) on a free
127.0.0.1 port with a fresh PostgreSQL database (``KAWALTPS_BENCH_DATABASE_URL``, default postgres://postgres@127.0.0.1:5432/capture_bench),
loads the demo election's regions and TPS (14,835), and a ``kawaltps fold-tallies --loop 1`` worker
(the production setup). The load comes from ``wrk`` (C, with a Lua script giving every POST a
unique client_id: ``apt-get install -y wrk``); without wrk, from Python threads with httpx (slower,
and it takes CPU from the server). Both phases are bounded in time (and count, httpx) and hit the same
server: first GET /health (a bare JSON endpoint: the baseline), then POST /api/results/submissions
(bearer token, kind saksi, one per TPS in turn). Afterwards the tallies are folded and checked
against the stored submissions. Each phase also reports the CPU it cost per request (gunicorn and
folder processes, the PostgreSQL backends of the bench database, the load generator, from /proc):
on a shared machine the rates move with the other load, the CPU per request much less, and
``capacity_per_second_idle_cores`` (cores / server+PostgreSQL CPU per request) says what idle cores
would serve. Prints one JSON document.

    .venv/bin/python bench/results_submit_http.py [--seconds 10] [--connections 16] [--workers 2]
        [--worker-class sync|gthread] [--worker-threads N] [--no-folder]
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import cpu_seconds, pgid  # noqa: E402

DB_URL = os.environ.get("KAWALTPS_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/capture_bench")
DATA_DIR = "/tmp/ktps-capture-bench"
VOTES = {"1": 120, "2": 30, "3": 150}
NUMBERS = {"suara_sah": 300, "suara_tidak_sah": 10, "suara_total": 310, "pengguna_total_j": 310}

LUA = r"""
local codes = {%(codes)s}
local nthreads, run, slug = %(threads)d, "%(run)s", "%(slug)s"
local threads = {}
tid, sent, ok, other = 0, 0, 0, 0  -- globals: done() reads them with thread:get
local head = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer %(key)s"}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function request()
  sent = sent + 1
  if "%(mode)s" == "health" then return wrk.format("GET", "/health") end
  local code = codes[((sent - 1) * nthreads + tid) %% #codes + 1]
  local body = '{"client_id":"' .. run .. '-' .. tid .. '-' .. sent .. '","election":"' .. slug ..
    '","tps":"' .. code .. '","kind":"saksi","votes":%(votes)s,"numbers":%(numbers)s}'
  return wrk.format("POST", "/api/results/submissions", head, body)
end

function response(status, headers, body)
  if status == 200 or status == 201 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local good, bad = 0, 0
  for _, t in ipairs(threads) do good = good + t:get("ok"); bad = bad + t:get("other") end
  io.write(string.format('WRKJSON {"requests": %%d, "seconds": %%.3f, "ok": %%d, "other": %%d, ' ..
    '"socket_errors": %%d, "p50_ms": %%.2f, "p99_ms": %%.2f}\n', summary.requests, summary.duration / 1e6,
    good, bad, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def fresh_database() -> None:
    import psycopg

    base, name = DB_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup() -> tuple[str, list[str], str]:
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
    user = User.objects.create_user("bench-admin", password="x-bench-123456", role="admin", is_superuser=True)
    _, key = ApiToken.issue(user, "bench")
    return key, list(election.tps_set.order_by("code").values_list("code", flat=True)), election.slug




def cpu_snapshot(groups: list[int]) -> dict[str, dict[int, float]]:
    """CPU seconds so far of the server's processes (gunicorn, folder: their process groups) and of the
    PostgreSQL backends serving the bench database (not this process's own)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        backends = [r[0] for r in cur.fetchall()]
    server = [int(d) for d in os.listdir("/proc") if d.isdigit() and pgid(int(d)) in groups]
    return {"server": {p: cpu_seconds(p) for p in server}, "postgres": {p: cpu_seconds(p) for p in backends}}


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    return {k: sum(v - before[k].get(p, 0.0) for p, v in after[k].items()) for k in after}


def measured(load, url, mode, key, codes, slug, args, groups) -> dict:
    """One load phase with the CPU it cost: server (Python), PostgreSQL and the load generator, in ms per
    request. The CPU cost does not depend on what else the shared machine runs; the rate does."""
    import resource

    before, kids = cpu_snapshot(groups), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = load(url, mode, key, codes, slug, args)
    after, kids2 = cpu_snapshot(groups), resource.getrusage(resource.RUSAGE_CHILDREN)
    used = cpu_used(before, after)
    used["load_generator"] = (kids2.ru_utime + kids2.ru_stime) - (kids.ru_utime + kids.ru_stime)
    n = max(result["requests"], 1)
    result["cpu_ms_per_request"] = {k: round(v * 1000 / n, 3) for k, v in used.items()}
    server_ms = result["cpu_ms_per_request"]["server"] + result["cpu_ms_per_request"]["postgres"]
    # what the cores could serve if they did nothing else (the load generator excluded)
    result["capacity_per_second_idle_cores"] = round((os.cpu_count() or 1) * 1000 / max(server_ms, 1e-3), 1)
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_wrk(url: str, mode: str, key: str, codes: list[str], slug: str, args) -> dict:
    threads = min(2, args.connections)  # wrk is bounded by time (-d): it waits the whole duration anyway
    script = LUA % {"codes": ",".join(f'"{c}"' for c in codes), "threads": threads,
                    "run": uuid.uuid4().hex[:8], "slug": slug, "key": key, "mode": mode,
                    "votes": json.dumps(VOTES), "numbers": json.dumps(NUMBERS)}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        out = subprocess.run(["wrk", "-t", str(threads), "-c", str(args.connections), "-d", f"{args.seconds}s",
                              "--timeout", "10s", "-s", f.name, url], capture_output=True, text=True,
                             timeout=args.seconds + 60).stdout
    finally:
        os.unlink(f.name)
    found = re.search(r"WRKJSON (\{.*\})", out)
    if not found:
        raise RuntimeError(f"wrk printed no result: {out[-2000:]}")
    r = json.loads(found.group(1))
    r["per_second"] = round(r["requests"] / r["seconds"], 1)
    return r


def run_httpx(url: str, mode: str, key: str, codes: list[str], slug: str, args) -> dict:
    import httpx

    counter = iter(range(args.requests))
    lock = threading.Lock()
    counts = {"ok": 0, "other": 0}
    deadline = time.monotonic() + args.seconds
    headers = {"Authorization": f"Bearer {key}"}
    run = uuid.uuid4().hex[:8]

    def worker():
        with httpx.Client(timeout=30) as client:
            while time.monotonic() < deadline:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                if mode == "health":
                    r = client.get(f"{url}/health")
                else:
                    r = client.post(f"{url}/api/results/submissions", headers=headers, json={
                        "client_id": f"{run}-{i}", "election": slug, "tps": codes[i % len(codes)], "kind": "saksi",
                        "votes": VOTES, "numbers": NUMBERS})
                with lock:
                    counts["ok" if r.status_code in (200, 201) else "other"] += 1

    pool = [threading.Thread(target=worker) for _ in range(args.connections)]
    t0 = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    seconds = time.perf_counter() - t0
    n = counts["ok"] + counts["other"]
    return {"requests": n, "seconds": round(seconds, 3), **counts, "per_second": round(n / seconds, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=6000, help="httpx fallback: at most this many per phase")
    parser.add_argument("--seconds", type=int, default=10, help="each phase lasts this long (wrk), at most (httpx)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="gunicorn workers (default: one per core, the best measured: 2 sync on 2 cores)")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class: sync or gthread")
    parser.add_argument("--worker-threads", type=int, default=1, help="threads per worker (gthread)")
    parser.add_argument("--no-folder", action="store_true", help="no fold-tallies worker during the load")
    args = parser.parse_args()
    try:
        fresh_database()
    except Exception as exc:  # noqa: BLE001
        print(json.dumps({"skipped": f"PostgreSQL not reachable at {DB_URL}: {exc}"}))
        return
    key, codes, slug = setup()
    load_before = os.getloadavg()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    bindir = Path(sys.executable).parent
    env = {**os.environ, "DATABASE_URL": DB_URL, "KAWALTPS_DATA_DIR": DATA_DIR}
    procs = [subprocess.Popen([str(bindir / "gunicorn"), "kawaltps.wsgi", "--bind", f"127.0.0.1:{port}",
                               "--workers", str(args.workers), "--worker-class", args.worker_class,
                               "--threads", str(args.worker_threads), "--timeout", "60"], env=env,
                              start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    if not args.no_folder:
        procs.append(subprocess.Popen([str(bindir / "kawaltps"), "fold-tallies", "--loop", "1"], env=env,
                                      start_new_session=True, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
    load = run_wrk if shutil.which("wrk") else run_httpx
    try:
        import httpx

        for _ in range(300):
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        warm = argparse.Namespace(**{**vars(args), "requests": 200, "seconds": 3})
        load(url, "health", key, codes, slug, warm)
        groups = [p.pid for p in procs]
        baseline = measured(load, url, "health", key, codes, slug, args, groups)
        submit = measured(load, url, "submit", key, codes, slug, args, groups)
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM if p is not procs[0] else signal.SIGKILL)
            p.wait(timeout=30)
    from kawaltps.results.models import RegionTally, Submission, TallyDelta, TpsResult
    from kawaltps.results.tally import fold_pending

    pending = TallyDelta.objects.count()
    t0 = time.perf_counter()
    fold_pending()
    fold_seconds = time.perf_counter() - t0
    top = RegionTally.objects.get(code="31", source="witness")
    entered = TpsResult.objects.exclude(state="received").count()
    print(json.dumps({
        "benchmark": "results_submit_http", "database": "postgresql", "load_generator": load.__name__[4:],
        "gunicorn_workers": args.workers, "worker_class": args.worker_class, "worker_threads": args.worker_threads,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()], "connections": args.connections,
        "cpus": os.cpu_count(),
        "fold_worker": not args.no_folder, "submissions": submit, "baseline_health": baseline,
        "ratio_submit_to_baseline": round(submit["per_second"] / baseline["per_second"], 3),
        "ratio_of_capacities": round(submit["capacity_per_second_idle_cores"]
                                     / baseline["capacity_per_second_idle_cores"], 3),
        "target_per_second": 500, "meets_target": submit["per_second"] >= 500,
        "stored_submissions": Submission.objects.count(), "pending_deltas_after_load": pending,
        "final_fold_seconds": round(fold_seconds, 3),
        "province_tps_entered": top.tps_entered, "tps_entered": entered,
        "tallies_consistent": top.tps_entered == entered and top.valid == 300 * entered,
    }, indent=2))


if __name__ == "__main__":
    main()
