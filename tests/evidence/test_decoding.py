"""A JPEG checked at DCT scale (``HASH_DRAFT``) is judged exactly as by a full-size decode: the
same truncated and corrupted files refused, the header's size and EXIF kept; its pHash (a record
only: no match uses it) within a few bits of the full-size one; the index hash unchanged."""

import io
import random

import imagehash
import numpy as np
import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageDraw

from kawaltps.evidence import rules
from tests.results.conftest import make_jpeg


def photo_jpeg(seed: int, size=(2048, 2304), progressive: bool = False) -> bytes:
    """A page-like photo big enough for the 1/8 scale: ruled boxes, marks, sensor noise."""
    rng = np.random.default_rng(seed)
    img = Image.new("RGB", size, (236, 232, 220))
    draw = ImageDraw.Draw(img)
    for i in range(30):
        y = 60 + i * 70
        draw.rectangle([80, y, 80 + int(rng.integers(200, 1800)), y + 40], outline=(20, 20, 60), width=4)
        draw.line([100, y + 20, 100 + int(rng.integers(50, 900)), y + int(rng.integers(5, 35))], fill=(10, 10, 90),
                  width=6)
    noisy = np.asarray(img, dtype=np.int16) + rng.integers(-12, 13, (size[1], size[0], 3))
    out = io.BytesIO()
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(out, "JPEG", quality=85, progressive=progressive)
    return out.getvalue()


def full_decode_refuses(data: bytes) -> bool:
    """The former rule: Pillow decodes the whole image at full size."""
    try:
        with Image.open(io.BytesIO(data), formats=["JPEG"]) as img:
            img.load()
    except Exception:  # noqa: BLE001 - any failure is a refusal
        return True
    return False


def check_refuses(data: bytes) -> bool:
    try:
        rules.prepare(data)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize("progressive", [False, True])
def test_truncated_and_corrupted_jpegs_get_the_same_verdict_as_a_full_decode(progressive):
    data = photo_jpeg(1, progressive=progressive)
    with Image.open(io.BytesIO(data)) as img:
        img.draft("L", rules.HASH_DRAFT)
        assert img.size == (256, 288)  # really decoded at 1/8 scale
    cases = [data[: int(len(data) * f)] for f in (0.05, 0.2, 0.5, 0.8, 0.95, 0.999)] + [data[:-2]]
    rng = random.Random(3)
    for _ in range(40):  # bytes overwritten in the compressed data (after the headers)
        broken = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            broken[rng.randrange(2000, len(data) - 2)] = rng.randrange(256)
        cases.append(bytes(broken))
    verdicts = [(full_decode_refuses(c), check_refuses(c)) for c in cases]
    assert all(full == ours for full, ours in verdicts), verdicts
    assert all(ours for _full, ours in verdicts[:5])  # truncated photos are refused
    assert not check_refuses(data)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_phash_size_and_exif_are_those_of_the_full_image(seed):
    data = photo_jpeg(seed, size=(1600 + 200 * seed, 2400))
    p = rules.prepare(data)
    with Image.open(io.BytesIO(data)) as full:
        full.load()
        assert (p.width, p.height) == full.size  # the header's size, not the reduced one
        # the pHash is taken from the 1/8-scale grey pixels now: bits whose DCT coefficient sits at
        # the median may flip (measured 0-2 of 64 here and on generated 12 MP photos). Photo.phash
        # is a recorded fingerprint; the duplicate index uses layout_hash, unchanged (test_photos).
        assert imagehash.hex_to_hash(p.phash) - imagehash.phash(full) <= 4
    assert p.grey.mode == "L" and p.grey.size[0] < p.width  # decoded at reduced scale
    with_exif = rules.prepare(make_jpeg(exif=True))
    assert with_exif.exif_time is not None and with_exif.latitude == pytest.approx(-6.21)
    assert with_exif.longitude == pytest.approx(106.82)


def test_png_is_decoded_at_full_size():
    img = Image.new("RGB", (900, 700), "white")
    ImageDraw.Draw(img).rectangle([100, 100, 600, 400], fill="black")
    out = io.BytesIO()
    img.save(out, "PNG")
    p = rules.prepare(out.getvalue())
    assert p.grey.size == (900, 700) and (p.width, p.height) == (900, 700)
    assert p.phash == str(imagehash.phash(img))  # full-size pixels: the very same hash
    truncated = out.getvalue()[:-200]
    assert check_refuses(truncated)
