"""Killing import-results mid-load leaves nothing half-written; running it again loads everything once."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from kawaltps.regions.models import TPS
from kawaltps.results.models import RegionTally, Submission, TpsResult

from .importing import column_sums, slice_2019

pytestmark = pytest.mark.realdata


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _command(path):
    return [sys.executable, "-m", "kawaltps.cli", "import-results", "--election", "p19", "--format",
            "kawalpemilu2019", str(path), "--json"]


@pytest.mark.django_db(transaction=True)
def test_sigkill_mid_load_then_rerun(tmp_path):
    path = slice_2019(tmp_path, 20000)
    env = {**os.environ, "DATABASE_URL": _database_url()}
    proc = subprocess.Popen(_command(path), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:  # wait until it is writing inside its transaction
        if line.startswith("menulis"):
            time.sleep(0.3)
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # nothing of the killed transaction is visible: no TPS, no result, no submission, no tally
    assert (TPS.objects.count(), TpsResult.objects.count(), Submission.objects.count(),
            RegionTally.objects.count()) == (0, 0, 0, 0)

    done = subprocess.run(_command(path), env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    want = column_sums(path, "kp")["entered"] + column_sums(path, "kpu")["entered"]
    assert TPS.objects.count() == 20000
    assert TpsResult.objects.count() == want
    assert Submission.objects.count() == want  # exactly one import submission per result, no duplicate
    again = subprocess.run(_command(path), env=env, capture_output=True, text=True, timeout=600)
    assert '"loaded": {"witness": 0, "official": 0}' in again.stdout
    assert Submission.objects.count() == want
