"""/api/fieldday/ multipart: check-in photo and incident photos/videos through the one evidence store."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from kawaltps.evidence.models import EvidenceFile
from kawaltps.fieldday.models import CheckIn, Incident
from tests.results.conftest import make_jpeg

from .conftest import SAKSI_TPS
from .test_api import bearer

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 2000


def incident(cid=None, **kw):
    data = {"client_id": cid or str(uuid.uuid4()), "election": "uji", "tps": SAKSI_TPS, "category": "logistik",
            "description": "Surat suara kurang 20 lembar.", "occurred_at": "2024-11-27T10:00:00+07:00"}
    data.update(kw)
    return data


def jpeg_file(name="foto.jpg", seed=1):
    return SimpleUploadedFile(name, make_jpeg(exif=True, seed=seed), content_type="image/jpeg")


def test_checkin_photo_is_stored_once_with_exif_and_clean_copy(tps, users):
    api, auth = Client(), bearer(users["saksi"])
    body = {"client_id": str(uuid.uuid4()), "election": "uji", "tps": SAKSI_TPS, "lat": "-6.2", "lon": "106.8"}
    r = api.post("/api/fieldday/checkins/photo", {**body, "photo": jpeg_file()}, **auth)
    assert r.status_code == 201, r.content
    ev = CheckIn.objects.get().photo
    assert ev.purpose == "checkin" and ev.kind == "image" and len(ev.sha256) == 64
    assert ev.exif_latitude == pytest.approx(-6.21)
    with ev.display.open("rb") as f:
        assert not Image.open(f).getexif()  # the display copy has no EXIF; the original keeps it
    with ev.original.open("rb") as f:
        assert Image.open(f).getexif()
    again = api.post("/api/fieldday/checkins/photo", {**body, "photo": jpeg_file(seed=2)}, **auth)  # a retry
    assert again.status_code == 200 and again.json()["replayed"]
    assert CheckIn.objects.count() == 1 and EvidenceFile.objects.count() == 1


def test_incident_photo_and_video(tps, users):
    api, auth = Client(), bearer(users["saksi"])
    cid = str(uuid.uuid4())
    files = [jpeg_file(), SimpleUploadedFile("rekaman.mp4", MP4, content_type="video/mp4")]
    r = api.post("/api/fieldday/incidents/media", {**incident(cid), "files": files}, **auth)
    assert r.status_code == 201, r.content
    kinds = sorted(Incident.objects.get().evidence.values_list("kind", "purpose"))
    assert kinds == [("image", "incident"), ("video", "incident")]
    files = [jpeg_file(), SimpleUploadedFile("rekaman.mp4", MP4, content_type="video/mp4")]
    assert api.post("/api/fieldday/incidents/media", {**incident(cid), "files": files}, **auth).json()["replayed"]
    assert Incident.objects.count() == 1 and EvidenceFile.objects.count() == 2


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (13_000, 13_000)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(("name", "data", "message"), [
    ("catatan.jpg", b"bukan foto, hanya teks" * 20, "bukan foto atau video"),
    ("bom.png", None, "juta piksel"),
    ("besar.mp4", MP4 + b"\x00" * 20_000, "Video terlalu besar (lebih dari 0,01 MB)"),
])
def test_bad_files_are_refused_and_nothing_stored(tps, users, settings, name, data, message):
    settings.KAWALTPS_MAX_VIDEO_MB = 0.01  # 10 KB in this test: no 100 MB file needed
    api, auth = Client(), bearer(users["saksi"])
    upload = SimpleUploadedFile(name, data if data is not None else _bomb())
    r = api.post("/api/fieldday/incidents/media", {**incident(), "files": [jpeg_file(), upload]}, **auth)
    assert r.status_code == 422 and message in r.json()["detail"]
    assert Incident.objects.count() == 0 and EvidenceFile.objects.count() == 0
    r = api.post("/api/fieldday/checkins/photo", {"client_id": str(uuid.uuid4()), "election": "uji",
                                                  "tps": SAKSI_TPS, "photo": upload}, **auth)
    assert r.status_code == 422 and CheckIn.objects.count() == 0 and EvidenceFile.objects.count() == 0


def test_other_tps_saksi_and_observer_are_refused(tps, users, make_user):
    other = make_user("saksi2", "saksi", tps_code="3175081001002")
    for user in (other, users["observer"]):
        api, auth = Client(), bearer(user)
        r = api.post("/api/fieldday/incidents/media", {**incident(), "files": [jpeg_file()]}, **auth)
        assert r.status_code == 403
        r = api.post("/api/fieldday/checkins/photo", {"client_id": str(uuid.uuid4()), "election": "uji",
                                                      "tps": SAKSI_TPS, "photo": jpeg_file()}, **auth)
        assert r.status_code == 403
    assert Client().post("/api/fieldday/checkins/photo", {"client_id": str(uuid.uuid4()), "election": "uji",
                                                          "tps": SAKSI_TPS, "photo": jpeg_file()}).status_code == 401
    assert Incident.objects.count() == 0 and CheckIn.objects.count() == 0 and EvidenceFile.objects.count() == 0
