"""Bulk mandates on a real job queue: `kawaltps mandates` enqueues, a `kawaltps worker` on Redis renders."""

import json
import os
import signal
import subprocess
import sys

import pytest
from django.conf import settings

from kawaltps.deployment import services
from kawaltps.jobs.models import Job
from tests.results.server import database_url

BROKER = "redis://127.0.0.1:6379/6"


@pytest.mark.django_db(transaction=True)
def test_bulk_mandates_run_on_a_real_worker(small_election, signer, volunteer, tmp_path):
    import redis

    try:
        redis.Redis.from_url(BROKER).ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    redis.Redis.from_url(BROKER).flushdb()
    for i, code in enumerate(["3175081001001", "3175081001002", "3175081002001"]):
        services.assign_by_hand(small_election, volunteer(code[:10], name=f"Saksi Antrean {i}"), code)
    env = {**os.environ, "DATABASE_URL": database_url(), "KAWALTPS_DATA_DIR": str(settings.DATA_DIR),
           "KAWALTPS_BROKER_URL": BROKER, "DJANGO_SETTINGS_MODULE": "kawaltps.settings"}
    cli = [sys.executable, "-m", "kawaltps.cli"]
    worker = subprocess.Popen([*cli, "worker"], env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        done = subprocess.run([*cli, "mandates", "--election", "uji", "--region", "3175", "--out", str(tmp_path),
                               "--json"], env=env, capture_output=True, text=True, timeout=180)
        out = json.loads(done.stdout)
        assert out.get("letters") == 3, out
        assert out["files"] == ["mandat-uji-3175081001.pdf", "mandat-uji-3175081002.pdf"]
        assert all(j.status == "done" for j in Job.objects.filter(kind="deployment.mandates"))
        assert (tmp_path / "mandat-uji-3175081001.pdf").read_bytes().startswith(b"%PDF")
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
