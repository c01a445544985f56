"""The short load-and-kill run (``bench/load_and_kill.py``): clients check in, report incidents and
submit C.Hasil with presigned photo uploads while web workers, job workers and PostgreSQL die;
every acknowledged check-in, incident and submission is stored exactly once (with one audit record)
and the region totals equal a recomputation.

PostgreSQL pass only (it starts its own PostgreSQL cluster, Redis, SeaweedFS and two gunicorn
masters: about a minute; the SQLite pass has no server to kill).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kawaltps.core import pgcluster

REPO = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="PostgreSQL pass only: the run starts and kills its own PostgreSQL"),
    pytest.mark.skipif(pgcluster.binaries() is None or not shutil.which("redis-server"),
                       reason="PostgreSQL server binaries or redis-server are not installed"),
]


def test_short_load_and_kill_loses_nothing():
    out = subprocess.run([sys.executable, str(REPO / "bench" / "load_and_kill.py"), "--seconds", "20",
                          "--clients", "4", "--kill-every", "2", "4"],
                         capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout)
    for kind in ("checkin", "incident", "submission"):  # each kind acknowledged, stored once, nothing lost
        counts = report["kinds"][kind]
        assert counts["acknowledged"] > 0, (kind, report)
        assert counts["lost"] == 0 and counts["duplicated"] == 0, (kind, counts)
        assert counts["stored"] == counts["acknowledged"], (kind, counts)
    assert report["kinds"]["checkin"]["audit_records"] == report["kinds"]["checkin"]["stored"]
    assert report["lost"] == 0 and report["duplicated"] == 0, report
    assert report["totals_equal_recomputation"], report["differing_regions"]
    if report["photos"]:  # every confirmed photo was checked by the (killed and restarted) worker
        assert report["photos_done"] > 0 and report["photo_uploads"]["pending"] == 0, report
        assert report["photo_uploads"]["accepted"] >= report["photos_done"], report
    kills = report["kills"]
    assert kills["web_worker"] >= 1 and kills["job_worker"] >= 1 and kills["postgres_restart"] >= 1, kills
