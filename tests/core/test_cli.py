"""The `kawaltps` console script and production settings, run as a user would."""

import json
import os
import subprocess
import sys

BIN = [sys.executable, "-m", "kawaltps.cli"]


def env_for(tmp_path, **extra) -> dict:
    env = {**os.environ, "KAWALTPS_DATA_DIR": str(tmp_path), **extra}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest, never in production
    return env


def test_help_lists_project_commands(tmp_path):
    out = subprocess.run(BIN + ["--help"], env=env_for(tmp_path), capture_output=True, text=True, check=True).stdout
    for name in ("demo", "import-regions", "elections", "create-token"):
        assert f"  {name} " in out


def test_elections_json_is_one_document(tmp_path):
    env = env_for(tmp_path)
    subprocess.run(BIN + ["migrate", "-v0"], env=env, check=True)
    out = subprocess.run(BIN + ["elections", "--json"], env=env, capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = env_for(tmp_path, KAWALTPS_HTTPS="1", KAWALTPS_SECRET_KEY="x" * 40 + "production-secret-key-abcdefghijkl",
                  KAWALTPS_ALLOWED_HOSTS="kawaltps.example.org")
    proc = subprocess.run(BIN + ["check", "--deploy", "--fail-level", "WARNING"], env=env, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert "no issues" in proc.stdout


def test_command_on_an_empty_database_says_what_to_do(tmp_path):
    proc = subprocess.run(BIN + ["elections", "--json"], env=env_for(tmp_path), capture_output=True, text=True)
    assert proc.returncode != 0
    assert "kawaltps migrate" in json.loads(proc.stdout)["error"]
    assert "Traceback" not in proc.stderr
