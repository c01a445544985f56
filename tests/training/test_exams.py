"""Taking the tests through the pages: pre-test, post-test after attendance, pass/fail, certificate."""

import re

from kawaltps.training import services
from kawaltps.training.models import Certificate, Enrolment, TestAttempt

from .conftest import answer_all, login


def _setup(session, make_volunteer, attended=True):
    v = make_volunteer(login=True, name="Siti Aminah")
    e = services.enrol(session, v)
    if attended:
        services.mark_attended(e, Enrolment.Method.MANUAL)
    return e, v


def test_pre_test_page_and_submission(client, session, make_volunteer):
    e, v = _setup(session, make_volunteer, attended=False)
    login(client, v.user)
    page = client.get(f"/bimtek/tes/{e.pk}/pre/").content.decode()
    attempt = TestAttempt.objects.get(enrolment=e, kind="pre")
    assert len(attempt.question_ids) == 10  # 2 per module × 5 modules
    assert len(re.findall(r'type="radio"', page)) == 40
    r = client.post(f"/bimtek/tes/{e.pk}/pre/", {f"q{k}": v_ for k, v_ in answer_all(attempt, 5).items()})
    assert r.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == 50.0 and attempt.passed is None and len(attempt.module_scores) == 5
    assert "50,0" in client.get(r["Location"]).content.decode()


def test_unanswered_questions_refused_nothing_saved(client, session, make_volunteer):
    e, v = _setup(session, make_volunteer, attended=False)
    login(client, v.user)
    client.get(f"/bimtek/tes/{e.pk}/pre/")
    attempt = TestAttempt.objects.get(enrolment=e, kind="pre")
    answers = answer_all(attempt, 10)
    answers.pop(next(iter(answers)))
    r = client.post(f"/bimtek/tes/{e.pk}/pre/", {f"q{k}": x for k, x in answers.items()})
    assert r.status_code == 400 and "1 soal yang belum dijawab" in r.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.score is None


def test_post_test_needs_attendance(client, session, make_volunteer):
    e, v = _setup(session, make_volunteer, attended=False)
    login(client, v.user)
    r = client.get(f"/bimtek/tes/{e.pk}/post/", follow=True)
    assert "Post-test dibuka setelah kehadiran" in r.content.decode()
    assert not TestAttempt.objects.filter(kind="post").exists()


def _take(client, e, kind, right):
    client.get(f"/bimtek/tes/{e.pk}/{kind}/")
    attempt = TestAttempt.objects.get(enrolment=e, kind=kind)
    client.post(f"/bimtek/tes/{e.pk}/{kind}/", {f"q{k}": x for k, x in answer_all(attempt, right).items()})
    attempt.refresh_from_db()
    return attempt


def test_pass_at_exactly_pass_score_gives_certificate(client, session, make_volunteer):
    e, v = _setup(session, make_volunteer)
    login(client, v.user)
    _take(client, e, "pre", 4)
    post = _take(client, e, "post", 7)  # 70.0 with pass score 70
    assert post.score == 70.0 and post.passed is True
    cert = Certificate.objects.get(enrolment=e)
    v.refresh_from_db()
    assert v.status == "certified"
    page = client.get(f"/bimtek/tes/{e.pk}/post/hasil/").content.decode()
    assert "lulus post-test" in page and cert.verification_code in page and "30,0 poin" in page


def test_fail_just_below_pass_score_no_certificate(client, make_session, make_volunteer):
    session = make_session(pass_score=75)
    e, v = _setup(session, make_volunteer)
    login(client, v.user)
    post = _take(client, e, "post", 7)  # 70 < 75
    assert post.passed is False
    assert not Certificate.objects.exists()
    v.refresh_from_db()
    assert v.status == "trained"
    assert "Belum lulus" in client.get(f"/bimtek/tes/{e.pk}/post/hasil/").content.decode()


def test_each_test_taken_once_and_pre_closes_after_post(client, session, make_volunteer):
    e, v = _setup(session, make_volunteer)
    login(client, v.user)
    _take(client, e, "post", 9)
    r = client.get(f"/bimtek/tes/{e.pk}/post/", follow=True)
    assert "sudah Anda kerjakan" in r.content.decode()
    r = client.get(f"/bimtek/tes/{e.pk}/pre/", follow=True)
    assert "Pre-test sudah ditutup" in r.content.decode()
    assert not TestAttempt.objects.filter(kind="pre").exists()


def test_cannot_take_someone_elses_test(client, session, make_volunteer):
    e, v = _setup(session, make_volunteer)
    other = make_volunteer(login=True)
    login(client, other.user)
    assert client.get(f"/bimtek/tes/{e.pk}/pre/").status_code == 403
    assert client.get(f"/bimtek/tes/{e.pk}/xx/").status_code == 403
    assert not TestAttempt.objects.exists()


def test_certificate_rule_needs_attendance_and_pass(session, make_volunteer):
    from kawaltps.training import certificates

    e, v = _setup(session, make_volunteer, attended=False)
    TestAttempt.objects.create(enrolment=e, kind="post", question_ids=[], score=90, passed=True)
    assert not certificates.is_due(e)
    import pytest

    with pytest.raises(services.TrainingError, match="hadir dan lulus"):
        certificates.issue(e)
    services.mark_attended(e, Enrolment.Method.MANUAL)
    e.refresh_from_db()
    assert certificates.is_due(e)
    assert certificates.issue(e) == certificates.issue(e)  # idempotent
