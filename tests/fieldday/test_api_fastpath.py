"""The device path of ``POST /api/fieldday/checkins``, ``/checklist``, ``/incidents`` (bearer token; on
PostgreSQL ``fieldday/fastpath.py``): retries, denials and bad input through HTTP, with the same
answers as the ``services`` path (a session) and nothing stored on a refusal."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from kawaltps.audit import chain
from kawaltps.audit.models import ChangeRecord
from kawaltps.fieldday.models import CheckIn, ChecklistAnswer, Incident, IncidentStep
from kawaltps.people.models import ApiToken

from .conftest import SAKSI_TPS

OTHER_TPS = "3175081001002"


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)[1]}"}


def post(headers, path, **body):
    return Client().post(f"/api/fieldday/{path}", body, content_type="application/json", **headers)


def checkin(**over):
    return {"client_id": str(uuid.uuid4()), "election": "uji", "tps": SAKSI_TPS, "lat": -6.2101, "lon": 106.8201,
            "mandate_accepted": True, **over}


def answer(**over):
    return {"client_id": str(uuid.uuid4()), "election": "uji", "tps": SAKSI_TPS, "item": "kotak_kosong",
            "answer": "ya", **over}


def incident(**over):
    return {"client_id": str(uuid.uuid4()), "election": "uji", "tps": SAKSI_TPS, "category": "memilih_dua_kali",
            "description": "Satu pemilih mencoblos dua kali", "occurred_at": "2024-11-27T10:00:00+07:00", **over}


def stored() -> tuple[int, int, int, int, int]:
    return (CheckIn.objects.count(), ChecklistAnswer.objects.count(), Incident.objects.count(),
            IncidentStep.objects.count(), ChangeRecord.objects.count())


@pytest.mark.parametrize(("path", "make", "model"), [
    ("checkins", checkin, CheckIn), ("checklist", answer, ChecklistAnswer), ("incidents", incident, Incident)])
def test_retry_returns_the_stored_report_and_stores_nothing_twice(tps, users, path, make, model):
    auth, body = bearer(users["saksi"]), make()
    first = post(auth, path, **body)
    assert first.status_code == 201 and first.json()["replayed"] is False, first.content
    before = stored()
    again = post(auth, path, **{**body, "at": None})  # a retry from the phone's queue
    assert again.status_code == 200 and again.json() == {**first.json(), "replayed": True}
    assert stored() == before and model.objects.get().client_id == uuid.UUID(body["client_id"])
    record = ChangeRecord.objects.get(object_id=str(first.json()["id"]))
    assert record.subject == model._meta.label and record.action.startswith("fieldday.") and record.code == SAKSI_TPS
    assert record.after["source"] == "api" and record.actor == "saksi"
    assert chain.verify()["ok"]


def test_same_answers_as_the_services_path(tps, users, make_user):
    """A session (the ``services`` path on every database) answers exactly as a bearer token does."""
    other = make_user("saksi2", "saksi", tps_code=SAKSI_TPS)
    web = Client()
    web.force_login(other)
    device = bearer(users["saksi"])
    for path, make in (("checkins", lambda: checkin(lat=-6.66, lon=106.82)), ("checklist", answer),
                       ("incidents", incident)):
        a, b = make(), make()
        fast = post(device, path, **a)
        slow = web.post(f"/api/fieldday/{path}", b, content_type="application/json")
        assert fast.status_code == slow.status_code == 201
        strip = {"id", "client_id"}
        assert {k: v for k, v in fast.json().items() if k not in strip} == \
               {k: v for k, v in slow.json().items() if k not in strip}
        assert fast.json()["client_id"] == a["client_id"]
    far = CheckIn.objects.get(user=users["saksi"])
    assert far.far is True and far.distance_m > 400 and far.source == "api" and far.mandate_accepted is True
    inc = Incident.objects.get(user=users["saksi"])
    assert inc.psu_trigger and inc.psu_deadline == datetime.date(2024, 12, 1) and inc.state == "reported"
    assert inc.filing_deadline == datetime.date(2024, 12, 4)
    assert IncidentStep.objects.get(incident=inc).reason == "Satu pemilih mencoblos dua kali"
    assert chain.verify()["ok"]


def test_someone_elses_client_id_is_refused(tps, users, make_user):
    body = checkin()
    assert post(bearer(users["saksi"]), "checkins", **body).status_code == 201
    twin = make_user("saksi2", "saksi", tps_code=SAKSI_TPS)
    before = stored()
    r = post(bearer(twin), "checkins", **body)
    assert r.status_code == 422 and r.json()["detail"] == "Kode kiriman ini sudah dipakai orang lain."
    assert stored() == before


def test_denials_store_nothing(tps, users, make_user):
    neighbour = make_user("tetangga", "saksi", tps_code=OTHER_TPS)
    cases = [
        (bearer(neighbour), "checkins", checkin(), 403),  # another TPS's saksi
        (bearer(neighbour), "incidents", incident(), 403),
        (bearer(users["observer"]), "checklist", answer(), 403),  # observes, never reports
        (bearer(users["observer"]), "incidents", incident(), 403),
        (bearer(users["koordinator_kec"]), "checkins", checkin(), 403),  # may report incidents, not check in
        ({"HTTP_AUTHORIZATION": "Bearer ktps_salah"}, "checkins", checkin(), 401),
        ({}, "checklist", answer(), 401),
    ]
    for headers, path, body, status in cases:
        r = post(headers, path, **body)
        assert r.status_code == status, (path, r.content)
        if status == 403:
            assert r.json()["detail"].startswith("Anda tidak berwenang")
    assert stored() == (0, 0, 0, 0, 0)


def test_revoked_expired_and_inactive_tokens(tps, users):
    token, key = ApiToken.issue(users["saksi"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert post(auth, "checkins", **checkin()).status_code == 201
    token.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    token.save()
    r = post(auth, "checklist", **answer())
    assert r.status_code == 401 and "kedaluwarsa" in r.json()["detail"]
    token.expires_at, token.revoked = timezone.now() + datetime.timedelta(days=1), True
    token.save()
    assert post(auth, "incidents", **incident()).status_code == 401
    live = bearer(users["saksi"])
    users["saksi"].is_active = False
    users["saksi"].save()
    assert post(live, "checkins", **checkin()).status_code == 401
    assert stored()[:4] == (1, 0, 0, 0)


def test_a_bad_token_is_refused_before_the_body_is_read(tps, users):
    """The key is checked with the report's data, yet a bad key with a bad body is still a 401."""
    r = post({"HTTP_AUTHORIZATION": "Bearer ktps_salah"}, "checkins", client_id="x", election="uji", tps=SAKSI_TPS,
             lat="bukan angka")
    assert r.status_code == 401
    r = post(bearer(users["saksi"]), "checkins", client_id="x", election="uji", tps=SAKSI_TPS, lat="bukan angka")
    assert r.status_code == 422 and "lat" in r.json()["detail"][0]["msg"]


def test_bad_input_is_refused_in_indonesian_and_stores_nothing(tps, users):
    auth = bearer(users["saksi"])
    future = (timezone.now() + datetime.timedelta(hours=2)).isoformat()
    cases = [
        ("checkins", checkin(client_id="bukan-uuid"), "Kode kiriman (client_id) tidak sah."),
        ("checkins", checkin(lat=95), "Lintang GPS tidak sah."),
        ("checkins", checkin(lon=None), "Lintang dan bujur GPS harus diisi keduanya."),
        ("checkins", checkin(at=future), "Waktu check-in ada di masa depan. Periksa jam ponsel Anda."),
        ("checkins", checkin(tps="3175081001999"), "TPS 3175081001999 tidak ada dalam pemilihan ini."),
        ("checklist", answer(item="tidak_ada"), "Butir daftar periksa tidak dikenal."),
        ("checklist", answer(answer="mungkin"), "Jawaban harus salah satu dari: ya, tidak."),
        ("checklist", answer(note="x" * 501), "Catatan paling panjang 500 karakter."),
        ("incidents", incident(category="lain_lain_tidak_ada"), "Kategori kejadian tidak dikenal."),
        ("incidents", incident(description="   "), "Uraian kejadian wajib diisi."),
        ("incidents", incident(occurred_at=future), "Waktu kejadian ada di masa depan. Periksa jam ponsel Anda."),
    ]
    for path, body, message in cases:
        r = post(auth, path, **body)
        assert r.status_code == 422 and r.json() == {"detail": message}, (path, r.content)
    assert post(auth, "checkins", **checkin(election="tidak-ada")).status_code == 404
    assert stored() == (0, 0, 0, 0, 0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the fast path is PostgreSQL's (SQLite: services)")
def test_fast_path_statements(tps, users, django_assert_max_num_queries):
    """One read, then savepoint, the insert (with the chain's lock), the record (head, chain fields and
    INSERT in one statement), release: BEGIN and COMMIT in production, sent in a pipeline with the
    statements (three round trips in all)."""
    auth = bearer(users["saksi"])
    post(auth, "checkins", **checkin())  # the token's last_used_at is written now, not again this minute
    for path, make in (("checkins", checkin), ("checklist", answer), ("incidents", incident)):
        with django_assert_max_num_queries(5):
            assert post(auth, path, **make()).status_code == 201
        body = make()
        post(auth, path, **body)
        with django_assert_max_num_queries(1):
            assert post(auth, path, **body).status_code == 200
