"""Real job workers for tests: ``kawaltps worker`` processes on the test database, a real Redis.

Fixtures in ``tests/conftest.py``: ``redis_broker`` (this process sends its tasks to Redis at
``REDIS_URL``; the queue keys are cleared before and after) and ``job_workers`` (a :class:`Workers`,
S3 on the session's SeaweedFS; every worker is stopped afterwards).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from kawaltps.jobs.celery import app
from tests import seaweed
from tests.results.server import database_url

REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE_KEYS = ("celery", "unacked", "unacked_index", "unacked_mutex")


def reset_pools() -> None:
    """Close Celery's connection and producer pools; the next send opens them for the current URL."""
    from kombu import pools

    pools.reset()
    app.pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


class Workers:
    """``kawaltps worker`` processes started by this test (each its own process group)."""

    def __init__(self, endpoint: str, log_dir: Path):
        self.env = {**os.environ, "DATABASE_URL": database_url(), "KAWALTPS_DATA_DIR": str(settings.DATA_DIR),
                    "KAWALTPS_BROKER_URL": REDIS, "DJANGO_SETTINGS_MODULE": "kawaltps.settings",
                    "KAWALTPS_S3_BUCKET": seaweed.BUCKET, "KAWALTPS_S3_ENDPOINT_URL": endpoint,
                    "KAWALTPS_S3_ACCESS_KEY": seaweed.KEY, "KAWALTPS_S3_SECRET_KEY": seaweed.KEY}
        self.log_dir = log_dir
        self.procs: list[subprocess.Popen] = []

    def start(self, *args: str, **env: str) -> subprocess.Popen:
        log = open(self.log_dir / f"worker{len(self.procs)}.log", "wb")
        proc = subprocess.Popen([sys.executable, "-m", "kawaltps.cli", "worker", *args], env={**self.env, **env},
                                start_new_session=True, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        if proc.poll() is None:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=60)

    def stop_all(self) -> None:
        for p in self.procs:
            self.kill(p, signal.SIGTERM if p.poll() is None else signal.SIGKILL)


def wait_for(check, what: str, timeout: float = 120.0):
    """Poll ``check()`` until it is truthy (bounded); fail with ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.2)
    pytest.fail(f"not within {timeout:.0f} s: {what}")
