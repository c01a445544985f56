"""Helpers shared by the benchmarks: where the real data is, fresh databases, timing."""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
PG_ADMIN_URL = os.environ.get("KAWALTPS_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")


def shared(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        print(json.dumps({"skipped": f"real data file {path} is absent"}))
        sys.exit(0)
    return path


def fresh_pg_database(name: str) -> str:
    """Drop and create database ``name``; return its URL."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def fresh_env(database_url: str | None) -> dict:
    """Environment for a child process with its own data dir and the given database."""
    env = {**os.environ, "KAWALTPS_DATA_DIR": tempfile.mkdtemp(prefix="kawaltps-bench-")}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run_child(script: Path, args: list[str], env: dict) -> dict:
    out = subprocess.run([sys.executable, str(script), *args], env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr[-4000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def setup_django() -> None:
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawaltps.settings")
    import django

    django.setup()


class timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (from /proc; 0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pgid(pid: int) -> int | None:
    """The process group of a process (None once it is gone)."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[2])
    except (OSError, IndexError, ValueError):
        return None
