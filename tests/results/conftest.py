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

# seaweedfs_process, seaweedfs, s3_storage: tests/conftest.py (shared with tests/fieldday)
