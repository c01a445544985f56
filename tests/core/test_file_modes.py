"""Personal data on disk is private (issue 8 item 17): data folder and media 0700, SQLite and key 0600.

Runs the real command line in a fresh data folder under a permissive umask (022), as a server would.
"""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _kawaltps(data: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KAWALTPS_SECRET_KEY")}
    env["KAWALTPS_DATA_DIR"] = str(data)
    old = os.umask(0o022)
    try:
        subprocess.run([str(Path(sys.executable).with_name("kawaltps")), *args], env=env, check=True,
                       capture_output=True, timeout=300)
    finally:
        os.umask(old)


def test_fresh_install_is_private(tmp_path):
    data = tmp_path / "data"
    _kawaltps(data, "migrate", "--verbosity", "0")
    assert _mode(data) == 0o700
    assert _mode(data / "media") == 0o700
    assert _mode(data / "secret_key") == 0o600
    db = data / "kawaltps.sqlite3"
    assert db.stat().st_size > 0 and _mode(db) == 0o600
    for extra in (data / "kawaltps.sqlite3-wal", data / "kawaltps.sqlite3-shm"):
        if extra.exists():
            assert _mode(extra) & 0o077 == 0, extra


def test_existing_open_files_are_tightened(tmp_path):
    data = tmp_path / "data"
    _kawaltps(data, "migrate", "--verbosity", "0")
    for p in (data, data / "media"):
        p.chmod(0o755)
    for p in (data / "secret_key", data / "kawaltps.sqlite3"):
        p.chmod(0o644)
    _kawaltps(data, "check")
    assert _mode(data) == 0o700 and _mode(data / "media") == 0o700
    assert _mode(data / "secret_key") == 0o600 and _mode(data / "kawaltps.sqlite3") == 0o600


@pytest.mark.django_db
def test_uploaded_files_private(settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600 and settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700
    storage = FileSystemStorage(location=tmp_path / "media")
    old = os.umask(0o022)
    try:
        name = storage.save("foto/c-hasil.jpg", ContentFile(b"\xff\xd8\xff"))
    finally:
        os.umask(old)
    assert _mode(Path(storage.path(name))) == 0o600
    assert _mode(Path(storage.path(name)).parent) == 0o700
