"""`kawaltps demo --no-serve` on a fresh SQLite database, twice (the second run reuses it)."""

import json
import os
import re
import sqlite3
import subprocess
import sys


def test_demo_sets_up_jakarta_2024_and_reuses_it(tmp_path):
    env = {**os.environ, "KAWALTPS_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    first = subprocess.run([sys.executable, "-m", "kawaltps.cli", "demo", "--no-serve"], env=env,
                           capture_output=True, text=True, timeout=900)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "kawal-demo-2024" in first.stdout and "koord-jaktim" in first.stdout
    # one number format in the summary (14.835, not 14,835) and the checks in words, not codes
    assert "14.835 TPS" in first.stdout and not re.search(r"\d,\d{3}\b", first.stdout), first.stdout
    assert "tps_sirekap" not in first.stdout and "TPS → Sirekap" in first.stdout
    db = sqlite3.connect(tmp_path / "kawaltps.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    n, dpt, biggest = db.execute("SELECT count(*), sum(dpt), max(dpt) FROM regions_tps").fetchone()
    assert (n, dpt) == (14_835, 8_214_007) and biggest <= 600
    assert db.execute("SELECT count(DISTINCT kelurahan_id) FROM regions_tps").fetchone()[0] == 267
    assert db.execute("SELECT count(*) FROM regions_region").fetchone()[0] == 318
    # the final official result is KPU's published Jakarta 2024 result (DOMAIN.md)
    votes, valid, invalid = db.execute("SELECT votes, valid, invalid FROM recap_dhasil WHERE code = '31'").fetchone()
    assert json.loads(votes) == {"1": 1_718_160, "2": 459_230, "3": 2_183_239}
    assert (valid, invalid) == (4_360_629, 363_764)
    roles = {r for (r,) in db.execute("SELECT role FROM people_user")}
    assert roles == {"admin", "koordinator", "saksi", "clerk", "trainer", "legal", "observer", "relawan"}
    db.close()
    second = subprocess.run([sys.executable, "-m", "kawaltps.cli", "demo", "--no-serve"], env=env,
                            capture_output=True, text=True, timeout=900)
    assert second.returncode == 0, second.stderr[-3000:]
    out = subprocess.run([sys.executable, "-m", "kawaltps.cli", "elections", "--json"], env=env,
                         capture_output=True, text=True, check=True).stdout
    assert [(e["slug"], e["tps"]) for e in json.loads(out)] == [("pilgub-dki-2024", 14_835)]
