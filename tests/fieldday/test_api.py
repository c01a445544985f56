"""/api/fieldday/: the same services for devices with a bearer token; replay, denial, bad input."""

import uuid

from django.test import Client

from kawaltps.fieldday.models import CheckIn, Incident
from kawaltps.people.models import ApiToken

from .conftest import SAKSI_TPS


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)[1]}"}


def test_device_checkin_replays_and_is_denied_elsewhere(tps, users):
    api, auth = Client(), bearer(users["saksi"])
    body = {"client_id": str(uuid.uuid4()), "election": "uji", "tps": SAKSI_TPS, "lat": -6.66, "lon": 106.82}
    r = api.post("/api/fieldday/checkins", body, content_type="application/json", **auth)
    assert r.status_code == 201 and r.json()["far"] is True and not r.json()["replayed"]
    r2 = api.post("/api/fieldday/checkins", body, content_type="application/json", **auth)
    assert r2.status_code == 200 and r2.json()["replayed"] and CheckIn.objects.count() == 1
    other = {**body, "client_id": str(uuid.uuid4()), "tps": "3175081001002"}
    assert api.post("/api/fieldday/checkins", other, content_type="application/json", **auth).status_code == 403
    assert api.post("/api/fieldday/checkins", body, content_type="application/json").status_code == 401
    assert CheckIn.objects.count() == 1 and CheckIn.objects.get().source == "api"


def test_device_incident_and_bad_input(tps, users):
    api, auth = Client(), bearer(users["saksi"])
    r = api.post("/api/fieldday/incidents", {"client_id": str(uuid.uuid4()), "election": "uji", "tps": SAKSI_TPS,
                                             "category": "memilih_dua_kali", "description": "dua kali",
                                             "occurred_at": "2024-11-27T10:00:00+07:00"},
                 content_type="application/json", **auth)
    assert r.status_code == 201 and r.json()["psu_trigger"] and r.json()["psu_deadline"] == "2024-12-01"
    bad = api.post("/api/fieldday/turnout", {"client_id": str(uuid.uuid4()), "election": "uji", "tps": SAKSI_TPS,
                                            "voters": "abc"}, content_type="application/json", **auth)
    assert bad.status_code == 422 and "Jumlah pemilih" in bad.json()["detail"]
    assert Incident.objects.count() == 1
    koord = bearer(users["koordinator_kec"])  # a koordinator may report an incident, not check in
    r = api.post("/api/fieldday/incidents", {"client_id": str(uuid.uuid4()), "election": "uji", "tps": SAKSI_TPS,
                                             "category": "logistik", "description": "kurang",
                                             "occurred_at": "2024-11-27T10:00:00+07:00"},
                 content_type="application/json", **koord)
    assert r.status_code == 201 and Incident.objects.count() == 2
    r = api.post("/api/fieldday/checkins", {"client_id": str(uuid.uuid4()), "election": "uji", "tps": SAKSI_TPS},
                 content_type="application/json", **koord)
    assert r.status_code == 403


def test_unknown_election_is_404_and_unknown_tps_422(tps, users):
    api, auth = Client(), bearer(users["saksi"])
    body = {"client_id": str(uuid.uuid4()), "election": "tidak-ada", "tps": SAKSI_TPS}
    assert api.post("/api/fieldday/checkins", body, content_type="application/json", **auth).status_code == 404
    r = api.post("/api/fieldday/checkins", {**body, "election": "uji", "tps": "3175081001999"},
                 content_type="application/json", **auth)
    assert r.status_code == 422 and "3175081001999" in r.json()["detail"] and CheckIn.objects.count() == 0
