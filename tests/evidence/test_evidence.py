"""The one evidence store: type by decoding or container signature, size bounds, hashes, display copy."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from PIL import Image

from kawaltps.audit.models import ChangeRecord
from kawaltps.evidence import rules, store
from kawaltps.evidence.models import EvidenceFile
from tests.results.conftest import make_jpeg

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 200
MOV_HEAD = b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 100
WEBM_HEAD = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 100


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("data, ctype", [(MP4_HEAD, "video/mp4"), (MOV_HEAD, "video/quicktime"),
                                         (WEBM_HEAD, "video/webm")])
def test_video_is_known_by_its_container_signature(data, ctype):
    p = rules.prepare(data, allow_video=True)
    assert p.kind == "video" and p.content_type == ctype and p.sha256 == hashlib.sha256(data).hexdigest()


def test_video_is_refused_where_only_photos_are_allowed():
    with pytest.raises(ValidationError, match="bukan foto"):
        rules.prepare(MP4_HEAD)


def test_a_text_file_is_neither_photo_nor_video():
    with pytest.raises(ValidationError, match="bukan foto atau video"):
        rules.prepare(b"just text, renamed to clip.mp4", allow_video=True)


def test_a_200_mb_video_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.mp4"
    with open(path, "wb") as f:
        f.write(MP4_HEAD)
        f.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    with open(path, "rb") as f, pytest.raises(ValidationError, match="Video terlalu besar"):
        rules.prepare(File(f, name="big.mp4"), allow_video=True)


def test_decompression_bomb_is_refused_from_the_header():
    out = io.BytesIO()
    Image.new("1", (13_000, 13_000)).save(out, "PNG")
    with pytest.raises(ValidationError, match="juta piksel"):
        rules.prepare(out.getvalue(), allow_video=True)


def test_display_copy_is_smaller_and_without_exif_while_the_original_keeps_it():
    data = make_jpeg(exif=True, size=(2400, 3200))
    p = rules.prepare(data)
    assert p.exif_time is not None and p.latitude == pytest.approx(-6.21)
    shown = rules.display_copy(data)
    with Image.open(io.BytesIO(shown)) as img:
        assert max(img.size) == rules.DISPLAY_SIZE and not img.getexif()
    with Image.open(io.BytesIO(data)) as img:
        assert img.getexif()


def test_store_keeps_the_original_bytes_once_per_election(small_election, users):
    data = make_jpeg(exif=True, seed=3)
    p = rules.prepare(data)
    ev, new = store.save(p, election=small_election, code="3175081001001", purpose="incident",
                         user=users["saksi"])
    again, new2 = store.save(p, election=small_election, code="3175081001001", purpose="incident",
                             user=users["saksi"])
    assert new and not new2 and again.pk == ev.pk and EvidenceFile.objects.count() == 1
    assert default_storage.open(ev.original.name).read() == data
    assert default_storage.open(ev.display.name).read()[:2] == b"\xff\xd8"
    assert ev.exif_latitude == pytest.approx(-6.21)
    assert ChangeRecord.objects.filter(action="evidence_stored").count() == 1


def test_video_is_stored_without_a_display_copy(small_election, users):
    ev, _ = store.save(rules.prepare(MP4_HEAD, allow_video=True), election=small_election,
                       code="3175081001001", purpose="incident", user=users["saksi"])
    assert ev.kind == "video" and not ev.display and default_storage.open(ev.original.name).read() == MP4_HEAD
