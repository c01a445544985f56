"""Enrolment: once per volunteer, never past capacity; by a manager (NIK/phone) or by the volunteer."""

import datetime

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


TOMORROW = datetime.date.today() + datetime.timedelta(days=1)


def test_volunteer_self_enrols(client, make_session, make_volunteer):
    session = make_session(date=TOMORROW)
    v = make_volunteer(login=True)
    login(client, v.user)
    assert session.title in client.get("/bimtek/saya/").content.decode()
    client.post(f"/bimtek/sesi/{session.pk}/ikut/")
    assert Enrolment.objects.filter(session=session, volunteer=v).exists()


# --- scope (issue 8 item 14) -------------------------------------------------------------------------

def test_trainer_cannot_find_volunteer_outside_region(client, users, session, make_volunteer):
    """Trainer of Jakarta Timur (3175): a volunteer of Jakarta Pusat is "not found", by NIK or phone."""
    far = make_volunteer(name="Warga Pusat", kelurahan="3171011001")
    login(client, users["trainer"])
    for who in (far.nik, "0" + far.phone[2:]):
        page = client.post(f"/bimtek/sesi/{session.pk}/daftarkan/", {"who": who}, follow=True).content.decode()
        assert "tidak ditemukan" in page and "Warga Pusat" not in page and "3171011001" not in page
    assert Enrolment.objects.count() == 0
    assert services.find_volunteer(users["trainer"], far.nik) is None
    assert services.find_volunteer(users["admin"], far.nik) == far


def test_service_refuses_out_of_region_enrolment(users, session, make_volunteer):
    far = make_volunteer(kelurahan="3171011001")
    with pytest.raises(services.TrainingError, match="di luar wilayah"):
        services.enrol_by_manager(users["trainer"], session, far)
    assert Enrolment.objects.count() == 0


def test_trainer_without_region_works_nowhere(client, users, session, make_volunteer, make_user):
    v = make_volunteer()
    login(client, make_user("pelatih-tanpa-wilayah", "trainer"))
    assert client.post(f"/bimtek/sesi/{session.pk}/daftarkan/", {"who": v.nik}).status_code == 403
    assert services.find_volunteer(users["trainer"], v.nik) == v
    assert Enrolment.objects.count() == 0


def test_trainer_cannot_mark_out_of_region_volunteer_present(client, users, session, make_volunteer):
    """An admin enrolled a Jakarta Pusat volunteer in a Makasar session; the Timur trainer may not mark them."""
    far = make_volunteer(kelurahan="3171011001")
    e = services.enrol(session, far, by=users["admin"])
    login(client, users["trainer"])
    r = client.post(f"/bimtek/sesi/{session.pk}/hadir/{e.pk}/", follow=True)
    assert "di luar wilayah" in r.content.decode()
    e.refresh_from_db()
    assert e.attended_at is None


def test_trainer_of_other_kota_cannot_mark_present(client, session, make_volunteer, make_user):
    e = services.enrol(session, make_volunteer())
    login(client, make_user("pelatih-pusat", "trainer", "3171"))
    assert client.post(f"/bimtek/sesi/{session.pk}/hadir/{e.pk}/").status_code == 403
    e.refresh_from_db()
    assert e.attended_at is None


def test_volunteer_cannot_self_enrol_in_past_session(client, make_session, make_volunteer):
    past = make_session(date=datetime.date.today() - datetime.timedelta(days=3))
    v = make_volunteer(login=True)
    login(client, v.user)
    assert past.title not in client.get("/bimtek/saya/").content.decode()
    r = client.post(f"/bimtek/sesi/{past.pk}/ikut/", follow=True)
    assert "sudah dimulai atau sudah lewat" in r.content.decode()
    assert not Enrolment.objects.exists()


def test_volunteer_cannot_self_enrol_in_other_kota(client, users, make_session, make_volunteer, make_user):
    pusat = make_session(region="317101", date=TOMORROW, title="Bimtek Gambir",
                         trainer=make_user("pelatih-pusat", "trainer", "3171"))
    v = make_volunteer(login=True)  # lives in Makasar, Jakarta Timur
    login(client, v.user)
    assert "Bimtek Gambir" not in client.get("/bimtek/saya/").content.decode()
    r = client.post(f"/bimtek/sesi/{pusat.pk}/ikut/", follow=True)
    assert "di luar kota/kabupaten Anda" in r.content.decode()
    assert not Enrolment.objects.exists()


def test_self_enrol_allowed_elsewhere_in_own_kota(make_session, make_volunteer):
    other_kec = make_session(region="317501", date=TOMORROW, title="Bimtek Pasar Rebo")
    v = make_volunteer(login=True)
    assert services.why_not_self_enrol(v, other_kec) is None
    assert other_kec in services.sessions_open_to(v)
    services.self_enrol(v.user, other_kec)
    assert Enrolment.objects.filter(session=other_kec, volunteer=v).exists()


def test_self_enrol_refused_when_full(make_session, make_volunteer):
    s = make_session(date=TOMORROW, capacity=1)
    services.enrol(s, make_volunteer())
    v = make_volunteer(login=True)
    assert s not in services.sessions_open_to(v)
    with pytest.raises(services.TrainingError, match="penuh"):
        services.self_enrol(v.user, s)
