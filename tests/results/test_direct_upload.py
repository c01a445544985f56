"""Photos straight to object storage: presigned PUT to a real SeaweedFS, then the background check.

Each test drives the API as a phone does (Django test client for our server, httpx for the
storage), then reads what is stored: the upload's state, the Photo, the object in the bucket.
"""

import io
import time
import uuid

import httpx
import pytest
from PIL import Image

from kawaltps.audit.models import ChangeRecord
from kawaltps.jobs.models import Job
from kawaltps.people.models import ApiToken
from kawaltps.results.models import Photo, PhotoHash, PhotoUpload, TpsResult
from tests import seaweed

from .conftest import make_jpeg

TPS = "3175081001001"


def auth(user) -> dict:
    _, key = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def presign(client, headers, cid=None, tps=TPS, page=1):
    return client.post("/api/results/photos/presign",
                       {"client_id": cid or str(uuid.uuid4()), "election": "uji", "tps": tps, "page": page},
                       content_type="application/json", **headers)


def put(answer: dict, data: bytes) -> httpx.Response:
    return httpx.put(answer["url"], content=data, timeout=30)


def done(client, headers, answer: dict):
    return client.post(f"/api/results/photos/uploads/{answer['upload']}/done", **headers)


@pytest.fixture
def saksi_h(users, small_election):
    return auth(users["saksi"])


def test_no_object_storage_means_the_multipart_path(client, saksi_h):
    r = presign(client, saksi_h)
    assert r.status_code == 422
    assert "Unggah langsung ke penyimpanan tidak tersedia" in r.json()["detail"]
    assert not PhotoUpload.objects.exists()


def test_presigned_upload_is_accepted_after_the_check(client, saksi_h, s3_storage):
    endpoint, s3 = s3_storage
    photo_bytes = make_jpeg("TPS 001", exif=True)
    r = presign(client, saksi_h, cid="foto-1")
    assert r.status_code == 201, r.content
    a = r.json()
    assert a["status"] == "pending" and a["method"] == "PUT" and a["url"].startswith(endpoint)
    assert not Photo.objects.exists()  # nothing accepted before the check
    assert put(a, photo_bytes).status_code == 200
    r = done(client, saksi_h, a)
    assert r.status_code == 202
    got = r.json()
    assert got["status"] == "accepted" and got["reason"] == "" and got["status_label"] == "diterima"
    photo = Photo.objects.get(pk=got["photo"])
    upload = PhotoUpload.objects.get(pk=a["upload"])
    assert photo.file.name == upload.key  # the object stays where the phone put it: no copy
    assert s3.get_object(Bucket=seaweed.BUCKET, Key=upload.key)["Body"].read() == photo_bytes
    import hashlib

    assert photo.sha256 == hashlib.sha256(photo_bytes).hexdigest() and photo.size == len(photo_bytes)
    assert photo.exif_latitude == pytest.approx(-6.21, abs=0.01) and photo.exif_time is not None
    assert photo.result.code == TPS and photo.result.state == "received"
    assert PhotoHash.objects.get(photo=photo).code == TPS
    assert Job.objects.get(pk=upload.job_id).status == "done"
    assert ChangeRecord.objects.filter(action="results.photo", code=TPS).count() == 1
    assert client.get(f"/api/results/photos/uploads/{a['upload']}", **saksi_h).json()["status"] == "accepted"
    # done again, presign again: the same upload, no second photo or job
    assert done(client, saksi_h, a).json()["photo"] == photo.pk
    again = presign(client, saksi_h, cid="foto-1")
    assert again.status_code == 200 and again.json()["upload"] == a["upload"] and "url" not in again.json()
    assert Photo.objects.count() == 1 and Job.objects.count() == 1


def _png(width, height) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG", optimize=True)
    return out.getvalue()


@pytest.mark.parametrize("data, reason", [
    (b"%PDF-1.4 bukan foto" * 50, "bukan foto yang bisa dibaca"),
    (make_jpeg()[:800], "bukan foto yang bisa dibaca"),  # truncated: decoding decides, not the header
    (_png(8000, 8000), "juta piksel"),
    (b"\xff\xd8" + b"0" * (10 * 1024 * 1024 + 10), "lebih dari 10 MB"),
])
def test_bad_upload_is_refused_with_its_reason(client, saksi_h, s3_storage, data, reason):
    _, s3 = s3_storage
    a = presign(client, saksi_h).json()
    assert put(a, data).status_code == 200
    got = done(client, saksi_h, a).json()
    assert got["status"] == "refused" and reason in got["reason"] and got["photo"] is None
    assert got["status_label"] == "ditolak"
    assert not Photo.objects.exists() and not TpsResult.objects.exists()
    key = PhotoUpload.objects.get(pk=a["upload"]).key
    assert s3.list_objects_v2(Bucket=seaweed.BUCKET, Prefix=key).get("KeyCount", 0) == 0  # deleted


def test_done_before_the_bytes_arrived_is_refused(client, saksi_h, s3_storage):
    a = presign(client, saksi_h).json()
    got = done(client, saksi_h, a).json()
    assert got["status"] == "refused" and "belum sampai" in got["reason"]


def test_expired_url_is_replaced_by_asking_again(client, saksi_h, s3_storage, settings):
    settings.PRESIGN_SECONDS = 1
    first = presign(client, saksi_h, cid="foto-exp").json()
    time.sleep(2.5)
    late = put(first, make_jpeg())
    assert late.status_code == 403  # the storage refuses an expired signature
    settings.PRESIGN_SECONDS = 900
    fresh = presign(client, saksi_h, cid="foto-exp")
    assert fresh.status_code == 200 and fresh.json()["upload"] == first["upload"]
    assert fresh.json()["url"] != first["url"]
    assert put(fresh.json(), make_jpeg()).status_code == 200
    assert done(client, saksi_h, fresh.json()).json()["status"] == "accepted"
    assert PhotoUpload.objects.count() == 1 and Photo.objects.count() == 1


@pytest.mark.parametrize("who, tps", [("saksi", "3175081001002"), ("observer", TPS), ("koordinator", TPS)])
def test_presign_denials(client, users, small_election, s3_storage, who, tps):
    r = presign(client, auth(users[who]), tps=tps)
    assert r.status_code == 403 and "tidak berwenang" in r.json()["detail"]
    assert not PhotoUpload.objects.exists()


def test_someone_else_cannot_read_or_finish_an_upload(client, users, small_election, s3_storage, make_user):
    a = presign(client, auth(users["saksi"])).json()
    other = make_user("saksi2", "saksi", tps_code="3175081001002")
    assert client.get(f"/api/results/photos/uploads/{a['upload']}", **auth(other)).status_code == 403
    assert done(client, auth(other), a).status_code == 403
    assert PhotoUpload.objects.get(pk=a["upload"]).job_id is None
    assert client.get("/api/results/photos/uploads/bukan-id", **auth(users["saksi"])).status_code == 404
    # a clerk may add photos to any TPS, so may follow this one
    assert client.get(f"/api/results/photos/uploads/{a['upload']}", **auth(users["clerk"])).status_code == 200


@pytest.mark.parametrize("over, field", [({"page": 99}, "page"), ({"tps": "3175081001999"}, "tps"),
                                         ({"client_id": ""}, "client_id")])
def test_bad_presign_input(client, saksi_h, s3_storage, over, field):
    body = {"client_id": "x-1", "election": "uji", "tps": TPS, "page": 1, **over}
    r = client.post("/api/results/photos/presign", body, content_type="application/json", **saksi_h)
    assert r.status_code in (403, 422)
    assert not PhotoUpload.objects.exists()


def test_client_id_of_another_page_is_refused(client, saksi_h, s3_storage):
    assert presign(client, saksi_h, cid="foto-p", page=1).status_code == 201
    r = presign(client, saksi_h, cid="foto-p", page=2)
    assert r.status_code == 422 and "halaman lain" in r.json()["detail"]
    assert PhotoUpload.objects.count() == 1


def test_settings_allow_the_storage_in_the_csp_and_sign_for_the_public_address(tmp_path):
    """With KAWALTPS_S3_* set the page may PUT to the storage (connect-src); URLs are signed for
    KAWALTPS_S3_PUBLIC_URL when given. Without S3 the policy stays this site only."""
    import json
    import os
    import subprocess
    import sys

    child = ("import json, django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'kawaltps.settings'; django.setup();"
             "from django.conf import settings as s;"
             "print(json.dumps([s.CONTENT_SECURITY_POLICY, s.S3_PUBLIC_URL, s.PRESIGN_SECONDS]))")
    base = {k: v for k, v in os.environ.items() if not k.startswith("KAWALTPS_S3")}
    base["KAWALTPS_DATA_DIR"] = str(tmp_path)
    env = {**base, "KAWALTPS_S3_BUCKET": "b", "KAWALTPS_S3_ENDPOINT_URL": "http://10.0.0.5:8333",
           "KAWALTPS_S3_PUBLIC_URL": "https://foto.example.org", "KAWALTPS_PRESIGN_SECONDS": "600"}
    out = subprocess.run([sys.executable, "-c", child], env=env, capture_output=True, text=True, check=True)
    csp, public, seconds = json.loads(out.stdout)
    assert "connect-src 'self' https://foto.example.org;" in csp and public == "https://foto.example.org"
    assert seconds == 600
    out = subprocess.run([sys.executable, "-c", child], env=base, capture_output=True, text=True, check=True)
    assert "connect-src 'self';" in json.loads(out.stdout)[0]


def test_an_object_over_the_image_limit_is_refused_by_its_size(client, saksi_h, s3_storage):
    """Refused from the object's size (the storage says it before a byte is read), the object deleted."""
    from kawaltps.evidence import rules

    endpoint, s3 = s3_storage
    a = presign(client, saksi_h, cid="foto-besar").json()
    assert put(a, make_jpeg("TPS 001") + b"\0" * rules.MAX_IMAGE_BYTES).status_code == 200
    got = done(client, saksi_h, a).json()
    assert got["status"] == "refused" and "terlalu besar" in got["reason"] and not Photo.objects.exists()
    key = PhotoUpload.objects.get(pk=a["upload"]).key
    assert s3.list_objects_v2(Bucket=seaweed.BUCKET, Prefix=key).get("KeyCount") == 0
