"""A whole Kawal TPS on this machine for the scale tests and benchmarks: our own PostgreSQL
cluster (and replica), the demo election, and gunicorn masters against them.

Used by ``tests/scale/test_replica.py``, ``bench/replica_lag.py`` and ``bench/load_and_kill.py``.
Every process started here is started by the caller's code and stopped by it (by pid).
"""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEED = r"""
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from kawaltps.elections.demo import create_election
from kawaltps.people.models import ApiToken, User
from kawaltps.regions import demo as regions_demo
regions_demo.import_regions(regions_demo.JAKARTA_REGIONS)
election, _ = create_election()
user = User.objects.create_user("scale-admin", password="scale-Admin-123456", role="admin", is_superuser=True)
_, key = ApiToken.issue(user, "scale")
clerk = User.objects.create_user("scale-clerk", password="scale-Clerk-123456", role="clerk")
_, clerk_key = ApiToken.issue(clerk, "scale")
# the dashboard reader: an observer (nationwide, no second factor to type in a script)
User.objects.create_user("scale-observer", password="scale-Observer-123456", role="observer")
codes = list(election.tps_set.order_by("code").values_list("code", flat=True))
print(json.dumps({"key": key, "clerk_key": clerk_key, "slug": election.slug, "codes": codes,
                  "username": "scale-observer", "password": "scale-Observer-123456"}))
"""


_HANDED_OUT: set[int] = set()  # ports given to a process that may not have bound them yet


def free_port(low: int = 8600, high: int = 8699) -> int:
    """A free TCP port on 127.0.0.1 in [low, high] (our engineers' port range by default), never
    one this process handed out before (two servers starting at once get different ports)."""
    for port in range(low, high + 1):
        if port in _HANDED_OUT:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            _HANDED_OUT.add(port)
            return port
    raise RuntimeError(f"no free port in {low}-{high}")


def env_for(database_url: str, replica_url: str | None = None, **extra: str) -> dict:
    """Environment of a child process: its own data dir, the given databases, no inherited URLs."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_REPLICA_URL")}
    data_dir = extra.get("KAWALTPS_STACK_DATA_DIR") or tempfile.mkdtemp(prefix="kawaltps-stack-")
    env.update(DJANGO_SETTINGS_MODULE="kawaltps.settings", DATABASE_URL=database_url, KAWALTPS_DATA_DIR=data_dir,
               **extra)
    if replica_url:
        env["DATABASE_REPLICA_URL"] = replica_url
    return env


def seed(env: dict) -> dict:
    """Migrate and load the demo election (Jakarta regions, 14,835 TPS) and an admin with an API token."""
    out = subprocess.run([sys.executable, "-c", SEED], env=env, capture_output=True, text=True, timeout=600)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


class Gunicorn:
    """One gunicorn master (its own process group) serving kawaltps.wsgi on ``port``."""

    def __init__(self, env: dict, port: int, workers: int = 2, log: Path | None = None,
                 preload: bool = False) -> None:
        """``preload``: the master imports the application once and forks its workers (they boot,
        and a killed one is replaced, without importing Django again)."""
        self.port = port
        self.log = open(log or os.devnull, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "kawaltps.wsgi:application", "-b", f"127.0.0.1:{port}",
             "-w", str(workers), "--timeout", "30", "--graceful-timeout", "5", *(["--preload"] if preload else [])],
            env=env, stdout=self.log, stderr=self.log, start_new_session=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait(self, timeout: float = 60) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("gunicorn exited")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /health")

    def worker_pids(self) -> list[int]:
        """The master's worker processes (its children)."""
        try:
            text = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def login(client, base: str, username: str, password: str) -> None:
    """Log ``client`` (an httpx.Client) in through the login form (CSRF token from the page)."""
    import re

    page = client.get(f"{base}/masuk/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    r = client.post(f"{base}/masuk/", data={"username": username, "password": password,
                                            "csrfmiddlewaretoken": token}, headers={"Referer": f"{base}/masuk/"})
    if r.status_code not in (200, 302) or "sessionid" not in client.cookies:
        raise RuntimeError(f"login failed: {r.status_code}")
