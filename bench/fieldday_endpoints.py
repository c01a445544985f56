"""Election-day API writes per second on PostgreSQL, against a bare JSON endpoint of the same server.

Starts gunicorn (``--workers`` sync workers, default 2 on 2 cores: with the three-round-trip write
4 workers cost ~20 % more CPU per request in context switches and did not serve more;
``--worker-class gthread --threads N`` to try keep-alive connections) on a free 127.0.0.1 port
with a fresh PostgreSQL database (``--pg-name``), the demo's Jakarta regions and 14,835-TPS
election, and ``--saksi`` saksi, each at a distinct TPS with their own bearer token. The load
comes from ``wrk`` (``apt-get install -y wrk``; a Lua script gives
every request the token of another saksi at that saksi's TPS and a fresh client-made UUID); wrk
runs on the same 2 cores as the server and PostgreSQL. Phases of ``--seconds`` each, bounded in
time, on one server: GET /health (a bare JSON endpoint: the baseline), then POST
/api/fieldday/checkins, /checklist and /incidents. Afterwards the stored rows and audit records are
counted against the 201 answers. Each phase reports requests/s, p50/p99 latency (wrk's), the CPU per
request (server, PostgreSQL, wrk) and its ratio to the baseline. Target (issue 10): at least 500
requests/s with p99 under 200 ms on 2 cores. Prints one JSON document.

    .venv/bin/python bench/fieldday_endpoints.py [--seconds 10] [--connections 8] [--workers 2]
        [--worker-class sync|gthread] [--threads 1] [--saksi 3000] [--pg-name fieldday_bench_endpoints]
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
from _common import fresh_pg_database, setup_django  # noqa: E402
from results_submit_http import cpu_snapshot, cpu_used, free_port  # noqa: E402

TARGET_PER_SECOND, TARGET_P99_MS = 500, 200
PHASES = ("checkins", "checklist", "incidents")

LUA = r"""
local tokens = {%(tokens)s}
local codes = {%(codes)s}
local nthreads, run, slug, mode = %(threads)d, "%(run)s", "%(slug)s", "%(mode)s"
local threads = {}
tid, sent, ok, other = 0, 0, 0, 0  -- globals: done() reads them with thread:get

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function request()
  sent = sent + 1
  if mode == "health" then return wrk.format("GET", "/health") end
  local i = ((sent - 1) * nthreads + tid) %% #tokens + 1
  local cid = string.format("%%s-%%04x-4000-8000-%%012x", run, tid, sent)
  local head = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[i]}
  local body = '{"client_id":"' .. cid .. '","election":"' .. slug .. '","tps":"' .. codes[i] .. '"'
  if mode == "checkins" then
    body = body .. ',"lat":-6.2,"lon":106.82,"mandate_accepted":true}'
  elseif mode == "checklist" then
    body = body .. ',"item":"kotak_kosong","answer":"ya"}'
  else
    body = body .. ',"category":"logistik","description":"Surat suara kurang 20 lembar",' ..
      '"occurred_at":"%(occurred)s"}'
  end
  return wrk.format("POST", "/api/fieldday/" .. mode, head, body)
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


def setup(saksi: int) -> tuple[list[str], list[str], str, str]:
    """The regions, the election, ``saksi`` saksi at distinct TPS with a token each: (keys, codes, slug, date)."""
    setup_django()
    import secrets

    from django.core.management import call_command
    from django.utils import timezone

    from kawaltps.elections.demo import create_election
    from kawaltps.people.models import ApiToken, Role, User, _digest
    from kawaltps.regions import demo as regions_demo

    call_command("migrate", verbosity=0)
    regions_demo.import_regions(regions_demo.JAKARTA_REGIONS)
    election, _ = create_election()
    codes = list(election.tps_set.order_by("code").values_list("code", flat=True))[:saksi]
    users = User.objects.bulk_create([User(username=f"saksi{i}", role=Role.SAKSI, tps_code=c, password="!")
                                      for i, c in enumerate(codes)], batch_size=5000)
    keys = ["ktps_" + secrets.token_urlsafe(32) for _ in users]
    expires = timezone.now() + ApiToken.lifetime()
    ApiToken.objects.bulk_create([ApiToken(user=u, name="ponsel", digest=_digest(k), prefix=k[5:13],
                                           expires_at=expires) for u, k in zip(users, keys, strict=True)],
                                 batch_size=5000)
    occurred = f"{election.date.isoformat()}T10:00:00+07:00"
    return keys, codes, election.slug, occurred


def run_wrk(url: str, mode: str, keys: list[str], codes: list[str], slug: str, occurred: str, args) -> dict:
    threads = 2
    script = LUA % {"tokens": ",".join(f'"{k}"' for k in keys), "codes": ",".join(f'"{c}"' for c in codes),
                    "threads": threads, "run": uuid.uuid4().hex[:8], "slug": slug, "mode": mode,
                    "occurred": occurred}
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


def measured(url, mode, keys, codes, slug, occurred, args, groups) -> dict:
    """One phase with the CPU it cost per request: the server, PostgreSQL, wrk."""
    import resource

    before, kids = cpu_snapshot(groups), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run_wrk(url, mode, keys, codes, slug, occurred, args)
    after, kids2 = cpu_snapshot(groups), resource.getrusage(resource.RUSAGE_CHILDREN)
    used = cpu_used(before, after)
    used["load_generator"] = (kids2.ru_utime + kids2.ru_stime) - (kids.ru_utime + kids.ru_stime)
    n = max(result["requests"], 1)
    result["cpu_ms_per_request"] = {k: round(v * 1000 / n, 3) for k, v in used.items()}
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10, help="each phase lasts this long")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"),
                        help="gunicorn worker class (gthread keeps connections alive, sync closes each)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--saksi", type=int, default=3000, help="saksi (tokens, distinct TPS) the load cycles through")
    parser.add_argument("--pg-name", default="fieldday_bench_endpoints", help="PostgreSQL database (dropped, created)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print(json.dumps({"skipped": "wrk is not installed (apt-get install -y wrk)"}))
        return
    try:
        db_url = fresh_pg_database(args.pg_name)
    except Exception as exc:  # noqa: BLE001
        print(json.dumps({"skipped": f"PostgreSQL not reachable: {exc}"}))
        return
    data_dir = tempfile.mkdtemp(prefix="kawaltps-bench-")
    os.environ.update(DATABASE_URL=db_url, KAWALTPS_DATA_DIR=data_dir)
    keys, codes, slug, occurred = setup(args.saksi)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "kawaltps.wsgi", "--bind",
                               f"127.0.0.1:{port}", "--workers", str(args.workers), "--timeout", "60",
                               "--worker-class", args.worker_class, "--threads", str(args.threads)],
                              env=dict(os.environ), start_new_session=True, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    load_before = os.getloadavg()
    phases = {}
    try:
        import httpx

        for _ in range(300):
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        warm = argparse.Namespace(**{**vars(args), "seconds": 2})
        for mode in ("health", *PHASES):  # every worker imports and connects before the timing
            run_wrk(url, mode, keys, codes, slug, occurred, warm)
        time.sleep(1)  # the warm-up's requests still in flight land before the rows are counted
        groups = [server.pid]
        from kawaltps.audit.models import ChangeRecord
        from kawaltps.fieldday.models import CheckIn, ChecklistAnswer, Incident

        stored_before = {"checkins": CheckIn.objects.count(), "checklist": ChecklistAnswer.objects.count(),
                         "incidents": Incident.objects.count(), "audit": ChangeRecord.objects.count()}
        phases["health"] = measured(url, "health", keys, codes, slug, occurred, args, groups)
        for mode in PHASES:
            phases[mode] = measured(url, mode, keys, codes, slug, occurred, args, groups)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    stored = {"checkins": CheckIn.objects.count() - stored_before["checkins"],
              "checklist": ChecklistAnswer.objects.count() - stored_before["checklist"],
              "incidents": Incident.objects.count() - stored_before["incidents"]}
    audit = ChangeRecord.objects.count() - stored_before["audit"]
    base = phases["health"]
    for mode in PHASES:
        p = phases[mode]
        p["ratio_to_baseline_per_second"] = round(p["per_second"] / base["per_second"], 3)
        p["meets_target"] = p["other"] == 0 and p["per_second"] >= TARGET_PER_SECOND and p["p99_ms"] < TARGET_P99_MS
        p["stored_rows"] = stored[mode]
    print(json.dumps({
        "benchmark": "fieldday_endpoints", "database": "postgresql", "load_generator": "wrk (same 2 cores)",
        "cpus": os.cpu_count(), "gunicorn_workers": args.workers, "worker_class": args.worker_class,
        "threads": args.threads,
        "connections": args.connections, "saksi_tokens": len(keys), "seconds_per_phase": args.seconds,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "target": {"per_second": TARGET_PER_SECOND, "p99_ms": TARGET_P99_MS},
        "baseline_health": base, **{mode: phases[mode] for mode in PHASES},
        # a request still in flight when wrk stops is stored but not counted: at most one per connection
        "stored_match_201s": all(0 <= stored[m] - phases[m]["ok"] <= args.connections for m in PHASES),
        "audit_records": audit, "audit_matches_rows": audit == sum(stored.values()),
        "meets_target": all(phases[m]["meets_target"] for m in PHASES),
    }, indent=2))


if __name__ == "__main__":
    main()
