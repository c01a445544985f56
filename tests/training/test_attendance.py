"""Attendance by QR: the trainer scans the volunteer's code, or the volunteer scans the session's code."""

import time

from kawaltps.audit.models import ChangeRecord
from kawaltps.training import services, tokens
from kawaltps.training.models import Enrolment

from .conftest import login


def _enrolled(session, make_volunteer, **kw):
    v = make_volunteer(**kw)
    return services.enrol(session, v), v


def test_trainer_scans_volunteer_code(client, users, session, make_volunteer):
    e, v = _enrolled(session, make_volunteer, name="Siti Aminah")
    login(client, users["trainer"])
    r = client.post(f"/bimtek/sesi/{session.pk}/pindai/", {"token": tokens.volunteer_token(v.pk)})
    assert "Siti Aminah tercatat hadir" in r.content.decode()
    e.refresh_from_db()
    v.refresh_from_db()
    assert e.attended and e.attendance_method == Enrolment.Method.TRAINER_SCAN and e.attendance_by == users["trainer"]
    assert v.status == "trained"
    assert ChangeRecord.objects.filter(action="volunteer_status", object_id=str(v.pk)).exists()
    # scanning again records nothing new
    r = client.post(f"/bimtek/sesi/{session.pk}/pindai/", {"token": tokens.volunteer_token(v.pk)})
    assert "sudah tercatat hadir sebelumnya" in r.content.decode()


def test_expired_volunteer_code_refused(client, users, session, make_volunteer):
    e, v = _enrolled(session, make_volunteer)
    login(client, users["trainer"])
    old = tokens.volunteer_token(v.pk, at=time.time() - 20 * 60)
    r = client.post(f"/bimtek/sesi/{session.pk}/pindai/", {"token": old})
    assert "kedaluwarsa" in r.content.decode()
    e.refresh_from_db()
    assert not e.attended


def test_volunteer_not_in_this_session(client, users, make_session, make_volunteer):
    a = make_session(title="A")
    b = make_session(title="B")
    e, v = _enrolled(a, make_volunteer)
    login(client, users["trainer"])
    r = client.post(f"/bimtek/sesi/{b.pk}/pindai/", {"token": tokens.volunteer_token(v.pk)})
    assert "tidak terdaftar di sesi ini" in r.content.decode()
    assert not Enrolment.objects.filter(attended_at__isnull=False).exists()


def test_trainer_from_another_kota_cannot_scan(client, users, session, make_volunteer, make_user):
    e, v = _enrolled(session, make_volunteer)
    login(client, make_user("pelatih-pusat", "trainer", "3171"))
    r = client.post(f"/bimtek/sesi/{session.pk}/pindai/", {"token": tokens.volunteer_token(v.pk)})
    assert r.status_code == 403
    e.refresh_from_db()
    assert not e.attended


def test_volunteer_cannot_scan_for_someone_else(client, session, make_volunteer):
    e1, me = _enrolled(session, make_volunteer, login=True)
    e2, friend = _enrolled(session, make_volunteer)
    login(client, me.user)
    r = client.post(f"/bimtek/sesi/{session.pk}/pindai/", {"token": tokens.volunteer_token(friend.pk)})
    assert r.status_code == 403
    r = client.post(f"/bimtek/sesi/{session.pk}/hadir/{e2.pk}/")
    assert r.status_code == 403
    assert not Enrolment.objects.filter(attended_at__isnull=False).exists()


def test_volunteer_scans_session_code(client, session, make_volunteer):
    e, v = _enrolled(session, make_volunteer, login=True)
    login(client, v.user)
    token = tokens.session_token(session.pk)
    page = client.get("/bimtek/hadir/", {"t": token}).content.decode()
    assert session.title in page
    r = client.post("/bimtek/hadir/", {"token": token}, follow=True)
    assert "tercatat" in r.content.decode()
    e.refresh_from_db()
    assert e.attended and e.attendance_method == Enrolment.Method.SELF_SCAN


def test_session_code_expired_or_for_other_session(client, make_session, make_volunteer):
    a = make_session(title="A")
    b = make_session(title="B")
    e, v = _enrolled(a, make_volunteer, login=True)
    login(client, v.user)
    r = client.post("/bimtek/hadir/", {"token": tokens.session_token(a.pk, at=time.time() - 16 * 60)})
    assert "kedaluwarsa" in r.content.decode()
    r = client.post("/bimtek/hadir/", {"token": tokens.session_token(b.pk)})
    assert "Anda tidak terdaftar di sesi ini" in r.content.decode()
    r = client.get("/bimtek/hadir/", {"t": "s1:palsu:palsu"})
    assert "tidak sah" in r.content.decode()
    with __import__("pytest").raises(services.TrainingError, match="sesi Bimtek lain"):
        services.scan_session(v.user, tokens.session_token(b.pk), expected=a)
    e.refresh_from_db()
    assert not e.attended


def test_status_never_moves_back(session, make_volunteer):
    from kawaltps.volunteers.models import Volunteer

    e, v = _enrolled(session, make_volunteer, status=Volunteer.Status.ASSIGNED)
    services.mark_attended(e, Enrolment.Method.MANUAL)
    v.refresh_from_db()
    assert v.status == Volunteer.Status.ASSIGNED


def test_api_scan(client, users, session, make_volunteer):
    e, v = _enrolled(session, make_volunteer)
    login(client, users["trainer"])
    r = client.post(f"/api/training/sessions/{session.pk}/scan", {"token": tokens.volunteer_token(v.pk)},
                    content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["newly_recorded"] is True
    r = client.post(f"/api/training/sessions/{session.pk}/scan", {"token": "x"}, content_type="application/json")
    assert r.status_code == 400 and "tidak sah" in r.json()["detail"]
