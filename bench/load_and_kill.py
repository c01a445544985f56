"""Load and kill: concurrent clients submit C.Hasil with photos while processes die; nothing is lost.

Starts, on this machine, everything a national deployment has (each its own process):

- PostgreSQL: our own cluster (``initdb``, ``core.pgcluster``) on a free port of 5440-5449, so it
  may be restarted (``pg_ctl -m immediate``: a crash, recovery on start);
- Redis (``redis-server`` on a free port of 8600-8699, no persistence): cache and Celery broker;
- SeaweedFS (``weed server -s3``, ``tests/seaweed.py``): the photos' object storage;
- two gunicorn masters (separate process groups, as two machines), 2 workers each;
- the job workers: ``kawaltps worker --concurrency 2`` (Celery: photo verification) and the tally
  folder ``kawaltps fold-tallies --loop 1``.

``--clients`` threads each take TPS in turn and, for each, do what the phones of that TPS do on
election day: the saksi checks in (``POST /api/fieldday/checkins``), every second TPS reports an
incident (``POST /api/fieldday/incidents``), a presigned photo upload (presign, ``PUT`` the JPEG
straight to SeaweedFS, ``done``: the worker verifies it), then the C.Hasil
(``/api/results/submissions``, kind saksi). Every request has one idempotency key (``client_id``)
per TPS and kind and is retried on any error — on the other master — until answered 2xx
(= acknowledged) or 4xx. Meanwhile a chaos thread, at random moments, SIGKILLs a gunicorn worker,
SIGKILLs the Celery worker or the folder (and starts it again), or restarts PostgreSQL.

Afterwards, per kind (``checkin``, ``incident``, ``submission``): every acknowledged ``client_id``
must be stored exactly once with exactly one audit record, no TPS may hold a second row of the
kind; every confirmed photo upload is checked (accepted); and after one fold the region totals
(``RegionTally``) must equal a recomputation from the stored results (``tally.recompute_tallies``).
Prints one JSON document: ``kinds`` with ``acknowledged``, ``stored``, ``lost`` (0) and
``duplicated`` (0) per kind, the same summed at the top, ``totals_equal_recomputation``, the kills,
request counts, rates and where the setup time went (``setup_stages``).

    .venv/bin/python bench/load_and_kill.py [--seconds 60] [--clients 8] [--no-photos]
"""

import argparse
import datetime
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from kawaltps.core import pgcluster, stack  # noqa: E402

VOTES = {"1": 120, "2": 30, "3": 150}
NUMBERS = {"suara_sah": 300, "suara_tidak_sah": 10, "suara_total": 310}

VERIFY = r"""
import json, sys, django
django.setup()
from kawaltps.elections.models import Election
from kawaltps.audit.models import ChangeRecord
from kawaltps.fieldday.models import CheckIn, Incident
from kawaltps.results.models import Photo, PhotoUpload, Submission
from kawaltps.results.tally import fold_pending, recompute_tallies, tally_rows
e = Election.objects.get(slug=sys.argv[1])
run = sys.argv[2]
fold_pending(e)
folded = tally_rows(e, "witness")
recompute_tallies(e, "witness")
fresh = tally_rows(e, "witness")
def counted(row):  # what the submissions change (a region nobody touched has no folded row yet)
    row = dict(row or {"votes": {}})
    return {k: v for k, v in row.items() if k not in ("level", "tps_total") and v}
diff = sorted(c for c in set(folded) | set(fresh) if counted(folded.get(c)) != counted(fresh.get(c)))
subs = Submission.objects.filter(client_id__startswith=run)
per_tps = {}
for code in subs.values_list("result__code", flat=True):
    per_tps[code] = per_tps.get(code, 0) + 1
uploads = PhotoUpload.objects.filter(client_id__startswith=run, job__isnull=False)  # confirmed (done)
def field(model, action):  # this cluster is the run's own: every row of the election is the run's
    rows = model.objects.filter(election=e)
    codes = list(rows.values_list("tps_code", flat=True))
    return {"client_ids": [str(c) for c in rows.values_list("client_id", flat=True)],
            "tps_with_two": len(codes) - len(set(codes)),
            "audit_records": ChangeRecord.objects.filter(action=action).count()}
print(json.dumps({"client_ids": list(subs.values_list("client_id", flat=True)),
                  "tps_with_two": sum(1 for n in per_tps.values() if n > 1),
                  "checkin": field(CheckIn, "fieldday.checkin"), "incident": field(Incident, "fieldday.incident"),
                  "totals_equal_recomputation": not diff, "differing_regions": diff[:20],
                  "photo_uploads": {s: uploads.filter(status=s).count() for s in PhotoUpload.Status.values},
                  "photos_stored": Photo.objects.filter(result__code__in=list(per_tps)).count()}))
"""


def jpeg(seed: int) -> bytes:
    """A small real JPEG, different for every upload (so no two are duplicates)."""
    from PIL import Image

    rnd = random.Random(seed)
    img = Image.new("RGB", (640, 480), (250, 250, 245))
    for _ in range(60):
        x, y = rnd.randrange(600), rnd.randrange(440)
        img.paste((rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)), (x, y, x + 40, y + 40))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


class Stack:
    """Every process of the run; :meth:`close` stops them all (by pid / process group)."""

    def __init__(self, root: Path, photos: bool) -> None:
        self.root = root
        self.procs: list[subprocess.Popen] = []
        self.web: list[stack.Gunicorn] = []
        self.redis = self.weed = self._weed_thread = None
        self.photo_error = self.s3_endpoint = None
        try:
            self._start(photos)
        except BaseException:
            self.close()
            raise

    def _start(self, photos: bool) -> None:
        root, self.stages = self.root, {}
        t = time.monotonic()

        def lap(stage: str) -> None:
            nonlocal t
            self.stages[stage] = time.monotonic() - t
            t = time.monotonic()

        weed = self._weed_thread = threading.Thread(target=self._start_weed, daemon=True) if photos else None
        if weed is not None:  # SeaweedFS boots while PostgreSQL is made and seeded (it takes as long)
            weed.start()
        self.pg = pgcluster.Cluster(stack.free_port(5440, 5449), root / "pg").init(
            fsync="on", synchronous_commit="on").start()
        self.pg.sql("CREATE DATABASE kawaltps")
        lap("postgres")
        redis_port = stack.free_port(8600, 8699)
        self.redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
                                       "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL,
                                      start_new_session=True)
        extra = {"REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
                 "KAWALTPS_BROKER_URL": f"redis://127.0.0.1:{redis_port}/1",
                 "KAWALTPS_STACK_DATA_DIR": str(root / "data")}
        (root / "data").mkdir(exist_ok=True)
        if weed is not None:
            weed.join()
            lap("seaweedfs_wait")
        if self.weed is not None:
            from tests import seaweed

            extra.update(KAWALTPS_S3_BUCKET=seaweed.BUCKET, KAWALTPS_S3_ENDPOINT_URL=self.s3_endpoint,
                         KAWALTPS_S3_ACCESS_KEY=seaweed.KEY, KAWALTPS_S3_SECRET_KEY=seaweed.KEY)
        self.env = stack.env_for(self.pg.url("kawaltps"), **extra)
        # the web masters boot (import Django) while the database is migrated and seeded: /health
        # needs no table, and no client calls before both are done
        self.web = [stack.Gunicorn(self.env, stack.free_port(), workers=2, log=root / f"web{i}.log", preload=True)
                    for i in range(2)]
        self.seeded = stack.seed(self.env)
        lap("migrate_and_seed")
        for w in self.web:
            w.wait()
        self.worker = self.start_worker()
        self.folder = self.start_folder()
        lap("web_and_workers")

    def _start_weed(self) -> None:
        from tests import seaweed

        self.photo_error = seaweed.skip_reason()
        if self.photo_error is None:
            (self.root / "weed").mkdir()
            try:
                self.weed, self.s3_endpoint, _ = seaweed.start(self.root / "weed", timeout=180)
            except RuntimeError as exc:  # reported in the JSON; the run goes on without photos
                self.photo_error = str(exc)

    def _cli(self, *args: str, log: str) -> subprocess.Popen:
        out = open(self.root / log, "ab")
        proc = subprocess.Popen([sys.executable, "-m", "kawaltps.cli", *args], env=self.env, stdout=out,
                                stderr=out, start_new_session=True)
        self.procs.append(proc)
        return proc

    def start_worker(self) -> subprocess.Popen:
        return self._cli("worker", "--concurrency", "2", log="worker.log")

    def start_folder(self) -> subprocess.Popen:
        return self._cli("fold-tallies", "--loop", "1", log="folder.log")

    def close(self) -> None:
        if getattr(self, "_weed_thread", None) is not None and self._weed_thread.is_alive():
            self._weed_thread.join(200)  # a failed start: let SeaweedFS finish starting, then stop it
        for w in self.web:
            w.stop()
        for p in [*self.procs, *([self.redis] if self.redis else []), *([self.weed] if self.weed else [])]:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM) if p is not self.weed else p.terminate()
                    p.wait(15)
                except (subprocess.TimeoutExpired, ProcessLookupError):
                    p.kill()
                    p.wait()
        if getattr(self, "pg", None):
            self.pg.stop("fast")


class Chaos(threading.Thread):
    """SIGKILLs web workers, job workers, and restarts PostgreSQL, at random moments."""

    def __init__(self, st: Stack, stop: threading.Event, every: tuple[float, float]) -> None:
        super().__init__(daemon=True)
        self.st, self.stop, self.every = st, stop, every
        self.kills = {"web_worker": 0, "job_worker": 0, "tally_folder": 0, "postgres_restart": 0}
        self.rnd = random.Random(os.getpid())

    def run(self) -> None:
        plan = ["web_worker", "job_worker", "postgres_restart", "web_worker", "tally_folder"]
        i = 0
        while not self.stop.wait(self.rnd.uniform(*self.every)):
            what = plan[i % len(plan)] if i < len(plan) else self.rnd.choice(plan)
            i += 1
            try:
                getattr(self, what)()
                self.kills[what] += 1
            except (OSError, RuntimeError):
                pass

    def web_worker(self) -> None:
        pids = [p for w in self.st.web for p in w.worker_pids()]
        if pids:
            os.kill(self.rnd.choice(pids), signal.SIGKILL)  # the master starts a new one

    def job_worker(self) -> None:
        os.killpg(self.st.worker.pid, signal.SIGKILL)
        self.st.worker.wait()
        self.st.worker = self.st.start_worker()

    def tally_folder(self) -> None:
        os.killpg(self.st.folder.pid, signal.SIGKILL)
        self.st.folder.wait()
        self.st.folder = self.st.start_folder()

    def postgres_restart(self) -> None:
        self.st.pg.restart("immediate")


class Clients:
    """``n`` threads submitting with retries; counts what was acknowledged."""

    def __init__(self, st: Stack, n: int, photos: bool, run: str) -> None:
        self.st, self.n, self.photos, self.run = st, n, photos and st.weed is not None, run
        self.lock = threading.Lock()
        self.acked: dict[str, str] = {}  # C.Hasil submissions: client_id -> TPS
        self.field_acked: dict[str, dict[str, str]] = {"checkin": {}, "incident": {}}
        self.counts = {"requests": 0, "retries": 0, "photos_uploaded": 0, "photos_done": 0}
        self.latency: list[float] = []

    def _call(self, client, method: str, path: str, key: str, deadline: float, **kw):
        """One API call retried (same body, alternating masters) until 2xx/4xx or the deadline."""
        import httpx

        attempt = 0
        while time.monotonic() < deadline:
            base = self.st.web[(attempt + hash(path)) % 2].url
            attempt += 1
            with self.lock:
                self.counts["requests"] += 1
                self.counts["retries"] += attempt > 1
            try:
                t = time.perf_counter()
                r = client.request(method, base + path, headers={"Authorization": f"Bearer {key}"}, **kw)
                if r.status_code < 500:
                    with self.lock:
                        self.latency.append(time.perf_counter() - t)
                    return r
            except httpx.HTTPError:
                pass
            time.sleep(min(0.1 * attempt, 1.0))
        return None

    def _photo(self, client, slug: str, code: str, deadline: float) -> None:
        import httpx

        cid = f"{self.run}-foto-{code}"
        r = self._call(client, "POST", "/api/results/photos/presign", self.st.seeded["clerk_key"], deadline,
                       json={"client_id": cid, "election": slug, "tps": code, "page": 1})
        if r is None or r.status_code not in (200, 201):
            return
        body = r.json()
        data = jpeg(hash(cid))
        while time.monotonic() < deadline:
            try:
                put = client.put(body["url"], content=data, headers=body.get("headers") or {})
                if put.status_code < 300:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            return
        with self.lock:
            self.counts["photos_uploaded"] += 1
        done = self._call(client, "POST", f"/api/results/photos/uploads/{body['upload']}/done",
                          self.st.seeded["clerk_key"], deadline)
        if done is not None and done.status_code in (200, 202):
            with self.lock:
                self.counts["photos_done"] += 1

    def _field(self, client, kind: str, slug: str, code: str, deadline: float) -> None:
        """A check-in or an incident report of the TPS, one UUID client id, retried until answered."""
        cid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.run}-{kind}-{code}"))
        body = {"client_id": cid, "election": slug, "tps": code}
        if kind == "checkin":
            path, body = "/api/fieldday/checkins", {**body, "lat": -6.2, "lon": 106.8}
        else:
            path, body = "/api/fieldday/incidents", {
                **body, "category": "kotak_dibuka", "description": f"Kotak suara dibuka sebelum waktunya di {code}.",
                "occurred_at": datetime.datetime.now(datetime.UTC).isoformat()}
        r = self._call(client, "POST", path, self.st.seeded["key"], deadline, json=body)
        if r is not None and r.status_code in (200, 201) and r.json().get("client_id") == cid:
            with self.lock:
                self.field_acked[kind][cid] = code

    def worker(self, i: int, codes: list[str], stop: threading.Event, grace: float) -> None:
        import httpx

        slug = self.st.seeded["slug"]
        with httpx.Client(timeout=10) as client:
            for n, code in enumerate(codes[i::self.n]):
                if stop.is_set():
                    return
                deadline = time.monotonic() + grace
                self._field(client, "checkin", slug, code, deadline)
                if n % 2 == 0:
                    self._field(client, "incident", slug, code, deadline)
                if self.photos:
                    self._photo(client, slug, code, deadline)
                cid = f"{self.run}-{code}"
                r = self._call(client, "POST", "/api/results/submissions", self.st.seeded["key"], deadline,
                               json={"client_id": cid, "election": slug, "tps": code, "kind": "saksi",
                                     "votes": VOTES, "numbers": NUMBERS})
                if r is not None and r.status_code in (200, 201) and r.json().get("client_id") == cid:
                    with self.lock:
                        self.acked[cid] = code


def wait_for_photos(st: Stack, timeout: float, resend_after: float = 15.0) -> int:
    """Until no confirmed photo upload is pending (or ``timeout``): the worker checks them. A phone
    whose photo is still pending says ``done`` again every ``resend_after`` s, which sends the check
    again (a task held by a killed worker is otherwise given back by Redis only after its visibility
    timeout). Returns how many ``done`` were said again."""
    import httpx

    deadline, resent, last = time.monotonic() + timeout, 0, time.monotonic()
    sql = "SELECT id FROM results_photoupload WHERE status = 'pending' AND job_id IS NOT NULL"
    while time.monotonic() < deadline:
        try:
            pending = [r[0] for r in st.pg.sql(sql, "kawaltps")]
        except Exception:  # noqa: BLE001 - the table may be absent (no photos) or PostgreSQL restarting
            return resent
        if not pending:
            return resent
        if time.monotonic() - last >= resend_after:
            last = time.monotonic()
            for upload in pending:
                try:
                    httpx.post(f"{st.web[0].url}/api/results/photos/uploads/{upload}/done", timeout=10,
                               headers={"Authorization": f"Bearer {st.seeded['clerk_key']}"})
                    resent += 1
                except httpx.HTTPError:
                    pass
        time.sleep(1)
    return resent


def verify(st: Stack, run: str) -> dict:
    st.pg.wait_ready()
    out = subprocess.run([sys.executable, "-c", VERIFY, st.seeded["slug"], run], env=st.env, capture_output=True,
                         text=True, timeout=600)
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _kind(acked: set[str], stored: list[str], tps_with_two: int, audit: int | None = None) -> dict:
    """Acknowledged vs stored for one kind: lost = acknowledged but absent; duplicated = a second
    row of a client id or of a TPS, or an audit record count that is not one per row."""
    ids = set(stored)
    out = {"acknowledged": len(acked), "stored": len(acked & ids), "lost": len(acked - ids),
           "duplicated": len(stored) - len(ids) + tps_with_two, "stored_not_acknowledged": len(ids - acked)}
    if audit is not None:
        out["audit_records"] = audit
        out["duplicated"] += max(audit - len(stored), 0)
        out["lost"] += max(len(stored) - audit, 0)  # a row without its audit record is a loss too
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="how long clients submit while processes die")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (threads)")
    parser.add_argument("--kill-every", type=float, nargs=2, default=(3.0, 8.0), metavar=("MIN", "MAX"),
                        help="seconds between two kills (uniform)")
    parser.add_argument("--no-photos", action="store_true", help="C.Hasil only, no presigned photo uploads")
    args = parser.parse_args()
    if pgcluster.binaries() is None or not shutil.which("redis-server"):
        print(json.dumps({"skipped": "PostgreSQL server binaries or redis-server are not installed"}))
        return
    root = Path(tempfile.mkdtemp(prefix="kawaltps-lak-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        os.chmod(root, 0o777)
    started = time.monotonic()
    st = Stack(root, photos=not args.no_photos)
    try:
        setup_s = time.monotonic() - started
        run = "lak" + uuid.uuid4().hex[:6]
        stop = threading.Event()
        clients = Clients(st, args.clients, not args.no_photos, run)
        chaos = Chaos(st, stop, tuple(args.kill_every))
        threads = [threading.Thread(target=clients.worker, args=(i, st.seeded["codes"], stop, 60.0), daemon=True)
                   for i in range(args.clients)]
        t0 = time.monotonic()
        chaos.start()
        for t in threads:
            t.start()
        time.sleep(args.seconds)
        stop.set()  # no new TPS; the ones in flight retry until answered (60 s grace)
        chaos.join()
        for t in threads:
            t.join(90)
        load_s = time.monotonic() - t0
        st.pg.wait_ready()
        t1 = time.monotonic()
        resent = wait_for_photos(st, 90, resend_after=5.0)  # the restarted worker verifies the last photos
        photos_wait_s = time.monotonic() - t1
        checked = verify(st, run)
        verify_s = time.monotonic() - t1 - photos_wait_s
    finally:
        st.close()
        shutil.rmtree(root, ignore_errors=True)
    kinds = {"submission": _kind(set(clients.acked), checked["client_ids"], checked["tps_with_two"]),
             **{k: _kind(set(clients.field_acked[k]), checked[k]["client_ids"], checked[k]["tps_with_two"],
                         checked[k]["audit_records"]) for k in ("checkin", "incident")}}
    lat = sorted(clients.latency)
    print(json.dumps({
        "benchmark": "load_and_kill", "seconds": round(load_s, 1), "setup_seconds": round(setup_s, 1),
        "setup_stages": {k: round(v, 1) for k, v in st.stages.items()},
        "after_load_seconds": {"photos_wait": round(photos_wait_s, 1), "verify": round(verify_s, 1)},
        "total_seconds": round(time.monotonic() - started, 1),
        "clients": args.clients, "photos": clients.photos, "photo_storage_error": st.photo_error,
        **{f: sum(k[f] for k in kinds.values()) for f in ("acknowledged", "stored", "lost", "duplicated",
                                                          "stored_not_acknowledged")},
        "kinds": kinds,
        "totals_equal_recomputation": checked["totals_equal_recomputation"],
        "differing_regions": checked["differing_regions"],
        "kills": chaos.kills, **clients.counts,
        "acknowledged_per_second": round(sum(k["acknowledged"] for k in kinds.values()) / load_s, 1),
        "latency_ms": {"p50": round(lat[len(lat) // 2] * 1000, 1) if lat else None,
                       "p99": round(lat[int(len(lat) * 0.99)] * 1000, 1) if lat else None},
        "photo_uploads": checked["photo_uploads"], "photos_stored": checked["photos_stored"],
        "photo_done_said_again": resent,
    }, indent=2))


if __name__ == "__main__":
    main()
