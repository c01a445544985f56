"""The results API: same permission answers as the pages, idempotent submissions, photo upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kawaltps.people.models import ApiToken
from kawaltps.results.models import Photo, Submission, TpsResult

from .conftest import make_jpeg
from .helpers import good_form

TPS = "3175081001001"


def auth(user) -> dict:
    _, key = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def body(cid="api-1", tps=TPS, **over):
    votes, numbers = good_form()
    return {"client_id": cid, "election": "uji", "tps": tps, "votes": votes, "numbers": numbers, **over}


@pytest.fixture
def saksi_h(users, small_election):
    return auth(users["saksi"])


def test_submission_is_idempotent(client, saksi_h):
    r1 = client.post("/api/results/submissions", body(), content_type="application/json", **saksi_h)
    assert r1.status_code == 201 and r1.json()["state"] == "entered" and r1.json()["replayed"] is False
    r2 = client.post("/api/results/submissions", body(), content_type="application/json", **saksi_h)
    assert r2.status_code == 200 and r2.json()["id"] == r1.json()["id"] and r2.json()["replayed"] is True
    assert Submission.objects.count() == 1
    got = client.get(f"/api/results/uji/tps/{TPS}", **saksi_h).json()
    assert got["state"] == "entered" and got["votes"] == good_form()[0] and got["flags"] == []


def test_flags_come_back_with_messages(client, saksi_h):
    votes, numbers = good_form()
    r = client.post("/api/results/submissions", body(votes={**votes, "2": 0}), content_type="application/json",
                    **saksi_h)
    assert r.status_code == 201
    assert {"code": "paslon_tidak_sama_sah",
            "message": "Jumlah suara semua paslon tidak sama dengan jumlah suara sah."} in r.json()["flags"]


@pytest.mark.parametrize("who, tps", [("saksi", "3175081001002"), ("observer", TPS), ("koordinator", TPS)])
def test_denials(client, users, small_election, who, tps):
    r = client.post("/api/results/submissions", body(tps=tps), content_type="application/json",
                    **auth(users[who]))
    assert r.status_code == 403 and "tidak berwenang" in r.json()["detail"]
    assert not Submission.objects.exists()


def test_anonymous_is_refused(client, small_election):
    assert client.post("/api/results/submissions", body(), content_type="application/json").status_code == 401


def test_same_clerk_second_entry_is_refused(client, users, small_election):
    h = auth(users["clerk"])
    assert client.post("/api/results/submissions", body("c1"), content_type="application/json", **h).status_code == 201
    r = client.post("/api/results/submissions", body("c2"), content_type="application/json", **h)
    assert r.status_code == 403 and "petugas lain" in r.json()["detail"]
    r = client.post("/api/results/submissions", body("c3"), content_type="application/json", **auth(users["clerk2"]))
    assert r.json()["state"] == "verified"


@pytest.mark.parametrize("votes, field", [({"1": -1, "2": 0, "3": 0}, "paslon_1"),
                                          ({"1": "satu", "2": 0, "3": 0}, "paslon_1")])
def test_bad_numbers_422(client, saksi_h, votes, field):
    r = client.post("/api/results/submissions", body(votes=votes), content_type="application/json", **saksi_h)
    assert r.status_code == 422 and field in r.json()["errors"]
    assert not Submission.objects.exists() and not TpsResult.objects.exists()


def test_photo_upload_and_bad_photo(client, saksi_h):
    ok = client.post("/api/results/photos", {"election": "uji", "tps": TPS, "page": 1,
                                              "file": SimpleUploadedFile("x.bin", make_jpeg())}, **saksi_h)
    assert ok.status_code == 201 and ok.json()["content_type"] == "image/jpeg" and ok.json()["state"] == "received"
    bad = client.post("/api/results/photos", {"election": "uji", "tps": TPS, "page": 2,
                                               "file": SimpleUploadedFile("x.jpg", b"not an image")}, **saksi_h)
    assert bad.status_code == 422 and "bukan foto" in bad.json()["detail"]
    other = client.post("/api/results/photos", {"election": "uji", "tps": "3175081001002", "page": 1,
                                                 "file": SimpleUploadedFile("x.jpg", make_jpeg())}, **saksi_h)
    assert other.status_code == 403
    assert Photo.objects.count() == 1


def test_blind_second_entry_hides_numbers_from_other_clerk(client, users, small_election):
    client.post("/api/results/submissions", body("c1"), content_type="application/json", **auth(users["clerk"]))
    got = client.get(f"/api/results/uji/tps/{TPS}", **auth(users["clerk2"]))
    assert got.status_code == 403 and "votes" not in got.json()  # access.visibility: clerks do not read results
