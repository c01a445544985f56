"""Incident photos and videos by presigned upload to a real SeaweedFS (``evidence.uploads``): the
same rules, store and audit as the multipart path (``test_api_media.py``), and the local-files
default refuses presigning with a clear message.

Jobs run in-process here (no broker), so ``done`` answers with the check's verdict; the check on a
real worker is the C.Hasil photos' (``tests/results/test_redelivery.py``).
"""

import hashlib
import io
import uuid

import httpx
import pytest
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from kawaltps.audit.models import ChangeRecord
from kawaltps.evidence.models import EvidenceFile, EvidenceUpload
from kawaltps.fieldday.models import Incident
from kawaltps.jobs.models import Job
from tests.results.conftest import make_jpeg
from tests.workers import wait_for

from .test_api import bearer
from .test_api_media import MP4, incident, jpeg_file


def reported(api, auth) -> int:
    r = api.post("/api/fieldday/incidents", incident(), content_type="application/json", **auth)
    assert r.status_code == 201, r.content
    return r.json()["id"]


def presign(api, auth, inc: int, cid: str):
    return api.post(f"/api/fieldday/incidents/{inc}/evidence/presign", {"client_id": cid},
                    content_type="application/json", **auth)


def done(api, auth, inc: int, cid: str):
    return api.post(f"/api/fieldday/incidents/{inc}/evidence/done", {"client_id": cid},
                    content_type="application/json", **auth)


def upload(api, auth, inc: int, data: bytes, cid: str | None = None) -> dict:
    """presign → PUT to SeaweedFS → done; the answer of done."""
    cid = cid or str(uuid.uuid4())
    a = presign(api, auth, inc, cid)
    assert a.status_code == 201, a.content
    assert httpx.put(a.json()["url"], content=data, timeout=30).status_code == 200
    r = done(api, auth, inc, cid)
    assert r.status_code == 200, r.content
    return {**r.json(), "key": EvidenceUpload.objects.get(client_id=cid).key}


def test_incident_photo_and_video_by_presigned_upload(tps, users, s3_storage):
    api, auth = Client(), bearer(users["saksi"])
    inc = reported(api, auth)
    photo = make_jpeg(exif=True, seed=3)
    got = upload(api, auth, inc, photo)
    assert got["status"] == "accepted" and got["sha256"] == hashlib.sha256(photo).hexdigest()
    video = upload(api, auth, inc, MP4)
    assert video["status"] == "accepted"
    row = Incident.objects.get(pk=inc)
    assert sorted(row.evidence.values_list("kind", "purpose")) == [("image", "incident"), ("video", "incident")]
    ev = row.evidence.get(kind="image")
    assert ev.original.name.startswith(f"evidence/{row.election_id}/{ev.sha256[:2]}/{ev.sha256}")
    with default_storage.open(ev.original.name, "rb") as f:  # the original, byte for byte, EXIF kept
        original = f.read()
    assert original == photo and Image.open(io.BytesIO(original)).getexif()
    assert ev.exif_latitude == pytest.approx(-6.21) and ev.size == len(photo)
    with default_storage.open(ev.display.name, "rb") as f:  # the display copy: a JPEG without EXIF
        shown = Image.open(io.BytesIO(f.read()))
    assert shown.format == "JPEG" and not shown.getexif()
    assert not default_storage.exists(got["key"]) and not default_storage.exists(video["key"])
    assert set(Job.objects.values_list("kind", "status")) == {("evidence.verify_upload", "done")}
    records = ChangeRecord.objects.filter(action="fieldday.incident_evidence")
    assert sorted(r.after["evidence"] for r in records) == sorted(row.evidence.values_list("sha256", flat=True))
    # done again, and presign again: the checked upload, no second file
    cid = EvidenceUpload.objects.get(key=got["key"]).client_id
    assert done(api, auth, inc, cid).json()["evidence"] == ev.pk
    again = presign(api, auth, inc, cid)
    assert again.status_code == 200 and "url" not in again.json()
    # one store: the same bytes sent with another report (multipart) are the same evidence row
    r = api.post("/api/fieldday/incidents/media", {**incident(), "files": [jpeg_file(seed=3)]}, **auth)
    assert r.status_code == 201 and Incident.objects.get(pk=r.json()["id"]).evidence.get() == ev
    assert EvidenceFile.objects.count() == 2


def test_presigned_incident_evidence_is_refused_by_the_same_rules(tps, users, s3_storage, settings, make_user):
    api, auth = Client(), bearer(users["saksi"])
    inc = reported(api, auth)
    text = upload(api, auth, inc, b"bukan foto " * 100)
    assert text["status"] == "refused" and "bukan foto atau video" in text["reason"]
    settings.KAWALTPS_MAX_VIDEO_MB = 1
    big = upload(api, auth, inc, MP4 + b"\x00" * (1024 * 1024))
    assert big["status"] == "refused" and "Video terlalu besar" in big["reason"]
    cid = str(uuid.uuid4())
    assert presign(api, auth, inc, cid).status_code == 201
    missing = done(api, auth, inc, cid).json()  # never PUT
    assert missing["status"] == "refused" and "belum sampai" in missing["reason"]
    assert not Incident.objects.get(pk=inc).evidence.exists() and not EvidenceFile.objects.exists()
    assert not default_storage.exists(text["key"]) and not default_storage.exists(big["key"])
    # the id of another incident's upload, an unknown id, another TPS's saksi
    other = reported(api, auth)
    r = presign(api, auth, other, cid)
    assert r.status_code == 422 and "sudah dipakai" in r.json()["detail"]
    r = done(api, auth, inc, "tidak-ada")
    assert r.status_code == 422 and "minta alamat unggah" in r.json()["detail"]
    elsewhere = make_user("saksi-lain", "saksi", tps_code="3175081001002")
    assert presign(api, bearer(elsewhere), inc, str(uuid.uuid4())).status_code == 403
    assert done(api, bearer(elsewhere), inc, cid).status_code == 403
    assert EvidenceUpload.objects.count() == 3


def test_at_most_ten_files_per_incident(tps, users, s3_storage):
    api, auth = Client(), bearer(users["saksi"])
    inc = reported(api, auth)
    for _ in range(10):
        assert presign(api, auth, inc, str(uuid.uuid4())).status_code == 201
    r = presign(api, auth, inc, str(uuid.uuid4()))
    assert r.status_code == 422 and "Paling banyak 10" in r.json()["detail"]
    assert EvidenceUpload.objects.count() == 10


def test_local_files_default_refuses_presigning_and_keeps_multipart(tps, users):
    api, auth = Client(), bearer(users["saksi"])
    inc = reported(api, auth)
    r = presign(api, auth, inc, str(uuid.uuid4()))
    assert r.status_code == 422 and "kirim berkas bersama laporan" in r.json()["detail"]
    assert not EvidenceUpload.objects.exists()
    r = api.post("/api/fieldday/incidents/media", {**incident(), "files": [jpeg_file()]}, **auth)
    assert r.status_code == 201 and EvidenceFile.objects.get().original.name.startswith("evidence/")



@pytest.mark.django_db(transaction=True)
def test_a_real_worker_checks_incident_evidence(tps, users, s3_storage, redis_broker, job_workers):
    """With a broker: ``done`` answers pending and a ``kawaltps worker`` on Redis runs the check
    (the worker knows the ``evidence.verify_upload`` task)."""
    api, auth = Client(), bearer(users["saksi"])
    inc = reported(api, auth)
    job_workers.start("--concurrency", "1")
    cid = str(uuid.uuid4())
    a = presign(api, auth, inc, cid).json()
    photo = make_jpeg(exif=True, seed=4)
    assert httpx.put(a["url"], content=photo, timeout=30).status_code == 200
    first = done(api, auth, inc, cid)
    assert first.status_code == 202 and first.json()["status"] == "pending"
    wait_for(lambda: EvidenceUpload.objects.filter(client_id=cid, status="accepted").exists(),
             "the worker accepts the incident photo")
    got = done(api, auth, inc, cid).json()
    assert got["status"] == "accepted" and got["sha256"] == hashlib.sha256(photo).hexdigest()
    assert Incident.objects.get(pk=inc).evidence.get().sha256 == got["sha256"]
    job = Job.objects.get()
    assert (job.kind, job.status) == ("evidence.verify_upload", "done")
