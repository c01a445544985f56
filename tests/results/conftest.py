"""Fixtures for the results tests: photos made with Pillow, a test storage dir."""

import io

import pytest
from PIL import Image, ImageDraw


def make_jpeg(text: str = "C.Hasil", size=(320, 440), seed: int = 0, exif: bool = False) -> bytes:
    """A small real JPEG with drawn text; different ``seed`` → a visibly different picture."""
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    for i in range(12):
        y = 20 + i * 33
        draw.rectangle([10, y, 10 + ((seed * 37 + i * 53) % 280), y + 20], fill=(30, 30, 30))
    draw.text((20, size[1] - 30), text, fill="black")
    out = io.BytesIO()
    kwargs = {}
    if exif:
        e = Image.Exif()
        e[306] = "2024:11:27 14:05:09"
        gps = {1: "S", 2: (6.0, 12.0, 36.0), 3: "E", 4: (106.0, 49.0, 12.0)}
        e[0x8825] = gps
        kwargs["exif"] = e
    img.save(out, "JPEG", quality=80, **kwargs)
    return out.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are created per test; a fast hasher keeps setup short (login still checks the password)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def seaweedfs_process(tmp_path_factory):
    """One real SeaweedFS S3 server for the session: ``(process, endpoint, boto3 client)``."""
    from tests import seaweed

    reason = seaweed.skip_reason()
    if reason:
        pytest.skip(reason)
    proc, endpoint, client = seaweed.start(tmp_path_factory.mktemp("seaweedfs"))
    yield proc, endpoint, client
    proc.kill()
    proc.wait()


@pytest.fixture(scope="session")
def seaweedfs(seaweedfs_process):
    """The session's SeaweedFS: ``(endpoint, boto3 client)``."""
    return seaweedfs_process[1:]


@pytest.fixture
def s3_storage(settings, seaweedfs):
    """Photos in the SeaweedFS bucket, as ``KAWALTPS_S3_*`` would configure them."""
    from tests import seaweed

    endpoint, client = seaweedfs
    settings.S3_BUCKET = seaweed.BUCKET
    settings.STORAGES = {**settings.STORAGES, "default": seaweed.storage_settings(endpoint)}
    return endpoint, client
