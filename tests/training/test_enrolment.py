"""Enrolment: once per volunteer, never past capacity; by a manager (NIK/phone) or by the volunteer."""

import pytest

from kawaltps.training import services
from kawaltps.training.models import Enrolment

from .conftest import login


def test_capacity_enforced(make_session, make_volunteer):
    session = make_session(capacity=2)
    a, b, c = make_volunteer(), make_volunteer(), make_volunteer()
    services.enrol(session, a)
    services.enrol(session, b)
    with pytest.raises(services.TrainingError, match="penuh"):
        services.enrol(session, c)
    assert session.enrolments.count() == 2 and services.seats_left(session) == 0


def test_enrolled_once(session, make_volunteer):
    v = make_volunteer()
    services.enrol(session, v)
    with pytest.raises(services.TrainingError, match="sudah terdaftar"):
        services.enrol(session, v)
    assert Enrolment.objects.count() == 1


def test_manager_enrols_by_nik_and_phone(client, users, session, make_volunteer):
    a, b = make_volunteer(name="Siti Aminah"), make_volunteer(name="Budi Santoso")
    login(client, users["koordinator"])
    client.post(f"/bimtek/sesi/{session.pk}/daftarkan/", {"who": a.nik})
    r = client.post(f"/bimtek/sesi/{session.pk}/daftarkan/", {"who": "0" + b.phone[2:]}, follow=True)
    assert set(session.enrolments.values_list("volunteer__name", flat=True)) == {"Siti Aminah", "Budi Santoso"}
    assert "Budi Santoso terdaftar" in r.content.decode()


def test_unknown_volunteer_clear_message_nothing_changed(client, users, session):
    login(client, users["koordinator"])
    r = client.post(f"/bimtek/sesi/{session.pk}/daftarkan/", {"who": "1234"}, follow=True)
    assert "tidak ditemukan" in r.content.decode()
    assert Enrolment.objects.count() == 0


def test_full_session_message(client, users, make_session, make_volunteer):
    session = make_session(capacity=1)
    a, b = make_volunteer(), make_volunteer()
    login(client, users["koordinator"])
    client.post(f"/bimtek/sesi/{session.pk}/daftarkan/", {"who": a.nik})
    r = client.post(f"/bimtek/sesi/{session.pk}/daftarkan/", {"who": b.nik}, follow=True)
    assert "Sesi sudah penuh" in r.content.decode()
    assert list(session.enrolments.values_list("volunteer", flat=True)) == [a.pk]


def test_observer_cannot_enrol(client, users, session, make_volunteer):
    v = make_volunteer()
    login(client, users["observer"])
    assert client.post(f"/bimtek/sesi/{session.pk}/daftarkan/", {"who": v.nik}).status_code == 403
    assert Enrolment.objects.count() == 0


def test_volunteer_self_enrols(client, session, make_volunteer):
    v = make_volunteer(login=True)
    login(client, v.user)
    assert session.title in client.get("/bimtek/saya/").content.decode()
    client.post(f"/bimtek/sesi/{session.pk}/ikut/")
    assert Enrolment.objects.filter(session=session, volunteer=v).exists()
