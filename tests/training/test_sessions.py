"""Creating and listing sessions: who may, where, with which trainer."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from kawaltps.regions.models import Region
from kawaltps.training import services
from kawaltps.training.models import Module, Session

from .conftest import login


def _post(region="317508", trainer=None, **over):
    data = {"title": "Bimtek Kec. Makasar", "date": "2024-11-10", "start_time": "09:00", "end_time": "12:00",
            "place": "Aula", "region": region, "trainer": trainer, "capacity": 30, "pass_score": 70,
            "modules": list(Module.objects.values_list("pk", flat=True))}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_trainer_creates_session_in_own_region(client, users):
    login(client, users["trainer"])
    r = client.post("/bimtek/sesi/baru/", _post(trainer=users["trainer"].pk))
    assert r.status_code == 302
    s = Session.objects.get()
    assert s.trainer == users["trainer"] and s.region_id == "317508" and s.modules.count() == 5
    assert r["Location"] == f"/bimtek/sesi/{s.pk}/"


def test_trainer_cannot_create_in_another_kota(client, users):
    login(client, users["trainer"])  # Jakarta Timur trainer
    r = client.post("/bimtek/sesi/baru/", _post(region="317101", trainer=users["trainer"].pk))
    assert r.status_code == 200 and Session.objects.count() == 0
    assert "region" in r.context["form"].errors
    with pytest.raises(PermissionDenied):
        services.create_session(users["trainer"], region=Region.objects.get(code="317101"),
                                date=datetime.date(2024, 11, 10), start_time=datetime.time(9),
                                end_time=datetime.time(12), place="x", trainer=users["trainer"])


def test_observer_may_not_create_sessions(client, users):
    login(client, users["observer"])
    assert client.get("/bimtek/sesi/baru/").status_code == 403
    assert client.post("/bimtek/sesi/baru/", _post(trainer=users["trainer"].pk)).status_code == 403
    assert Session.objects.count() == 0


def test_coordinator_cannot_assign_trainer_outside_session_region(client, users, make_user):
    far = make_user("pelatih-jakpus", "trainer", "3171")
    login(client, users["koordinator"])
    r = client.post("/bimtek/sesi/baru/", _post(trainer=far.pk))
    assert r.status_code == 200 and Session.objects.count() == 0
    assert "bukan pelatih untuk wilayah" in r.content.decode()


def test_end_before_start_is_refused(client, users):
    login(client, users["trainer"])
    r = client.post("/bimtek/sesi/baru/", _post(trainer=users["trainer"].pk, end_time="08:00"))
    assert "Jam selesai harus setelah jam mulai" in r.content.decode()
    assert Session.objects.count() == 0


def test_list_is_scoped(client, users, make_session, make_user):
    make_session(title="Sesi Makasar")
    pusat = make_user("pelatih-pusat", "trainer", "3171")
    make_session(region="317101", trainer=pusat, title="Sesi Gambir")
    login(client, users["trainer"])
    body = client.get("/bimtek/").content.decode()
    assert "Sesi Makasar" in body and "Sesi Gambir" not in body
    login(client, users["admin"])
    body = client.get("/bimtek/").content.decode()
    assert "Sesi Makasar" in body and "Sesi Gambir" in body


def test_other_kota_trainer_cannot_open_session(client, users, session, make_user):
    login(client, make_user("pelatih-pusat", "trainer", "3171"))
    assert client.get(f"/bimtek/sesi/{session.pk}/").status_code == 403
    assert client.get(f"/bimtek/sesi/{session.pk}/qr/").status_code == 403


def test_session_qr_page_shows_svg_with_checkin_link(client, users, session):
    login(client, users["trainer"])
    body = client.get(f"/bimtek/sesi/{session.pk}/qr/").content.decode()
    assert "<svg" in body and "/bimtek/hadir/?t=" in body
