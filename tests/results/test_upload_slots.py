"""Upload slots in the C.Hasil submission (``photos`` → ``uploads``) and the sweep that starts the
check of an upload whose object appeared without ``done`` (real SeaweedFS; SQLite and PostgreSQL:
there the early route and the one-statement slots answer)."""

import httpx
import pytest

from kawaltps.jobs.models import Job
from kawaltps.people.models import ApiToken
from kawaltps.results import uploads
from kawaltps.results.models import Photo, PhotoUpload, Submission

from .conftest import make_jpeg
from .helpers import good_form

TPS = "3175081001001"


def auth(user) -> dict:
    _, key = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def submit(client, headers, photos, cid="sub-1", tps=TPS):
    votes, numbers = good_form()
    return client.post("/api/results/submissions", {"client_id": cid, "election": "uji", "tps": tps, "votes": votes,
                                                    "numbers": numbers, "photos": photos},
                       content_type="application/json", **headers)


@pytest.fixture
def saksi_h(users, small_election):
    return auth(users["saksi"])


def test_slot_in_the_submission_then_the_sweep_accepts_without_done(client, saksi_h, s3_storage):
    endpoint, _s3 = s3_storage
    r = submit(client, saksi_h, [{"client_id": "foto-a", "page": 1}, {"client_id": "foto-b", "page": 1}])
    assert r.status_code == 201, r.content
    got = r.json()
    assert got["replayed"] is False and Submission.objects.count() == 1
    a, b = got["uploads"]
    assert a["client_id"] == "foto-a" and a["status"] == "pending" and a["url"].startswith(endpoint)
    assert PhotoUpload.objects.filter(status="pending", job__isnull=True).count() == 2
    assert httpx.put(a["url"], content=make_jpeg("TPS 001"), timeout=30).status_code == 200
    assert not Photo.objects.exists()  # stored only by the check
    assert uploads.sweep_arrived() == {"started": 1}  # b's object never came: no check for it
    upload = PhotoUpload.objects.get(pk=a["upload"])
    assert upload.status == "accepted" and Photo.objects.get(pk=upload.photo_id).result.code == TPS
    assert PhotoUpload.objects.get(pk=b["upload"]).status == "pending" and PhotoUpload.objects.get(
        pk=b["upload"]).job_id is None
    assert uploads.sweep_arrived() == {"started": 0} and Job.objects.count() == 1  # never twice
    # the same submission again (an offline queue's retry): no second submission, same uploads;
    # the checked one without URL, the pending one with a fresh URL
    again = submit(client, saksi_h, [{"client_id": "foto-a", "page": 1}, {"client_id": "foto-b", "page": 1}])
    assert again.status_code == 200 and again.json()["replayed"] is True
    a2, b2 = again.json()["uploads"]
    assert a2["upload"] == a["upload"] and "url" not in a2 and a2["status"] == "accepted"
    assert b2["upload"] == b["upload"] and b2["url"].startswith(endpoint)
    assert Submission.objects.count() == 1 and PhotoUpload.objects.count() == 2


def test_done_still_works_for_a_slot(client, saksi_h, s3_storage):
    a = submit(client, saksi_h, [{"client_id": "foto-c", "page": 1}]).json()["uploads"][0]
    assert httpx.put(a["url"], content=make_jpeg("TPS 001"), timeout=30).status_code == 200
    r = client.post(f"/api/results/photos/uploads/{a['upload']}/done", **saksi_h)
    assert r.status_code == 202 and r.json()["status"] == "accepted"
    assert uploads.sweep_arrived() == {"started": 0} and Job.objects.count() == 1


@pytest.mark.parametrize("photos, field, words", [
    ([{"client_id": "f", "page": 9}], "page", "Halaman harus 1 sampai"),
    ([{"client_id": "", "page": 1}], "client_id", "wajib diisi"),
    ([{"client_id": "f", "page": 1}, {"client_id": "f", "page": 1}], "photos", "id (client_id) sendiri"),
])
def test_bad_slot_refuses_the_whole_submission(client, saksi_h, s3_storage, photos, field, words):
    r = submit(client, saksi_h, photos)
    assert r.status_code == 422 and words in r.json()["errors"][field][0]
    assert not Submission.objects.exists() and not PhotoUpload.objects.exists()


def test_slots_without_object_storage_are_refused(client, saksi_h):
    r = submit(client, saksi_h, [{"client_id": "f", "page": 1}])
    assert r.status_code == 422 and "Unggah langsung ke penyimpanan tidak tersedia" in r.json()["detail"]
    assert not Submission.objects.exists() and not PhotoUpload.objects.exists()


def test_slot_at_another_tps_is_refused(client, users, s3_storage, small_election):
    r = submit(client, auth(users["saksi"]), [{"client_id": "f", "page": 1}], tps="3175081001002")
    assert r.status_code == 403 and "tidak berwenang" in r.json()["detail"]
    assert not Submission.objects.exists() and not PhotoUpload.objects.exists()


def test_id_of_another_page_answers_that_slot_with_an_error(client, saksi_h, s3_storage):
    first = client.post("/api/results/photos/presign", {"client_id": "dipakai", "election": "uji", "tps": TPS,
                                                        "page": 1}, content_type="application/json", **saksi_h)
    assert first.status_code == 201
    r = submit(client, saksi_h, [{"client_id": "dipakai", "page": 2}, {"client_id": "baru", "page": 1}])
    assert r.status_code == 201  # the C.Hasil is acknowledged; the one slot says why it has no URL
    bad, good = r.json()["uploads"]
    assert "sudah dipakai untuk TPS atau halaman lain" in bad["error"] and "url" not in bad
    assert good["status"] == "pending" and good["url"]
    assert PhotoUpload.objects.get(client_id="dipakai").page == 1 and PhotoUpload.objects.count() == 2
