"""Replica lag under load: C.Hasil submissions on the primary, lag sampled on the standby.

Starts our own PostgreSQL primary and a streaming standby (``pg_basebackup -R``, ``core.pgcluster``)
on free ports of 5440-5449, the demo election, and one gunicorn (2 workers) with
``DATABASE_REPLICA_URL``. Phase 1 (baseline, same run): no load, lag sampled for ``--idle`` s.
Phase 2: ``--clients`` threads POST ``/api/results/submissions`` for ``--seconds`` s, while another
thread GETs ``/hasil/data.json`` (read on the replica). Lag every 0.2 s from the primary's
``pg_stat_replication``: bytes (``pg_current_wal_lsn() - replay_lsn``) and ``replay_lag``.
Prints one JSON document.

    .venv/bin/python bench/replica_lag.py [--seconds 20] [--clients 8]
"""

import argparse
import json
import sys
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from kawaltps.core import pgcluster, stack  # noqa: E402

LAG_SQL = ("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), "
           "COALESCE(EXTRACT(EPOCH FROM replay_lag), 0) FROM pg_stat_replication")


def sample(primary, stop: threading.Event, out: list) -> None:
    import psycopg

    with psycopg.connect(primary.url(), autocommit=True) as conn:
        while not stop.wait(0.2):
            row = conn.execute(LAG_SQL).fetchone()
            if row:
                out.append((float(row[0] or 0), float(row[1] or 0)))


def summary(samples: list) -> dict:
    if not samples:
        return {"samples": 0}
    b = sorted(s[0] for s in samples)
    t = sorted(s[1] for s in samples)
    pick = lambda xs, q: xs[min(len(xs) - 1, int(len(xs) * q))]  # noqa: E731
    return {"samples": len(samples), "bytes_p50": pick(b, 0.5), "bytes_p99": pick(b, 0.99), "bytes_max": b[-1],
            "ms_p50": round(pick(t, 0.5) * 1000, 2), "ms_p99": round(pick(t, 0.99) * 1000, 2),
            "ms_max": round(t[-1] * 1000, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="load phase length")
    parser.add_argument("--idle", type=float, default=5, help="baseline phase length (no load)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent submitting threads")
    args = parser.parse_args()
    if pgcluster.binaries() is None:
        print(json.dumps({"skipped": "PostgreSQL server binaries are not installed"}))
        return
    import httpx

    primary = pgcluster.Cluster(stack.free_port(5440, 5449))
    server = None
    try:
        primary.init().start()
        primary.sql("CREATE DATABASE kawaltps")
        replica = primary.replica(stack.free_port(primary.port + 1, 5449))
        env = stack.env_for(primary.url("kawaltps"), replica.url("kawaltps"))
        seeded = stack.seed(env)
        server = stack.Gunicorn(env, stack.free_port(), workers=2)
        server.wait()
        idle, loaded = [], []
        stop = threading.Event()
        t = threading.Thread(target=sample, args=(primary, stop, idle))
        t.start()
        time.sleep(args.idle)
        stop.set()
        t.join()
        stop = threading.Event()
        sampler = threading.Thread(target=sample, args=(primary, stop, loaded))
        counts = {"submissions": 0, "reads": 0, "errors": 0}
        lock = threading.Lock()
        run = uuid.uuid4().hex[:6]

        def submit(i: int) -> None:
            with httpx.Client(timeout=30) as c:
                for code in seeded["codes"][i::args.clients]:
                    if stop.is_set():
                        return
                    r = c.post(f"{server.url}/api/results/submissions",
                               headers={"Authorization": f"Bearer {seeded['key']}"},
                               json={"client_id": f"lag{run}-{code}", "election": seeded["slug"], "tps": code,
                                     "kind": "saksi", "votes": {"1": 120, "2": 30, "3": 150},
                                     "numbers": {"suara_sah": 300, "suara_tidak_sah": 10, "suara_total": 310}})
                    with lock:
                        counts["submissions" if r.status_code in (200, 201) else "errors"] += 1

        def read() -> None:
            with httpx.Client(timeout=30) as c:
                stack.login(c, server.url, seeded["username"], seeded["password"])
                while not stop.is_set():
                    r = c.get(f"{server.url}/hasil/data.json?pemilihan={seeded['slug']}")
                    with lock:
                        counts["reads" if r.status_code == 200 else "errors"] += 1

        threads = [threading.Thread(target=submit, args=(i,)) for i in range(args.clients)]
        threads.append(threading.Thread(target=read))
        started = time.monotonic()
        sampler.start()
        for th in threads:
            th.start()
        time.sleep(args.seconds)
        stop.set()
        for th in [*threads, sampler]:
            th.join()
        elapsed = time.monotonic() - started
        print(json.dumps({
            "benchmark": "replica_lag", "clients": args.clients, "seconds": round(elapsed, 1),
            "submissions_per_second": round(counts["submissions"] / elapsed, 1),
            "dashboard_reads_per_second": round(counts["reads"] / elapsed, 1), "errors": counts["errors"],
            "lag_under_load": summary(loaded), "baseline_idle_lag": summary(idle),
        }, indent=2))
    finally:
        if server:
            server.stop()
        primary.destroy()


if __name__ == "__main__":
    main()
