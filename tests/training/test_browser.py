"""Headless Chromium on the Bimtek pages: the test on a phone, the gains page, scanning, verification."""

import pytest
from django.utils import timezone

from kawaltps.training import certificates, curriculum, services, tokens
from kawaltps.training.models import Enrolment, TestAttempt
from tests.conftest import screenshot

pytestmark = pytest.mark.browser
PHONE = (390, 844)


@pytest.fixture(autouse=True)
def bank(transactional_db):
    curriculum.seed()  # a live-server test flushes the migration's seed data afterwards


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_volunteer_takes_tests_on_phone(login_page, live_server, session, make_volunteer):
    v = make_volunteer(login=True, name="Siti Aminah")
    e = services.enrol(session, v)
    page = login_page(v.user.username, viewport=PHONE)
    page.goto(f"{live_server.url}/bimtek/saya/")
    assert page.locator(".qr svg").count() == 1
    screenshot(page, "training-mine-phone")
    page.click("text=Kerjakan pre-test")
    questions = page.locator("fieldset.question")
    assert questions.count() == 10
    assert _no_horizontal_scroll(page)
    box = page.locator("label.choice").first.bounding_box()
    assert box["height"] >= 44 and box["width"] > 300  # thumb-sized targets across the screen
    page.locator("fieldset.question").nth(0).locator("label.choice").first.click()
    screenshot(page, "training-test-phone")
    page.click("button.wide")  # 9 unanswered: refused with a clear message, the answer kept
    assert "9 soal yang belum dijawab" in page.locator("p.error").inner_text()
    assert page.locator("fieldset.question").nth(0).locator("input:checked").count() == 1
    for i in range(1, 10):
        page.locator("fieldset.question").nth(i).locator("label.choice").first.click()
    page.click("button.wide")
    page.wait_for_url("**/hasil/")
    assert page.locator("h1 .score").inner_text()
    assert page.locator("ol.feedback li").count() == 10 and "Dasar aturan" in page.locator("ol.feedback").inner_text()
    assert _no_horizontal_scroll(page)
    screenshot(page, "training-test-result-phone")
    assert TestAttempt.objects.get(enrolment=e, kind="pre").submitted


def test_gains_page(login_page, live_server, users, make_session, make_volunteer, make_user, orgs):
    s1 = make_session(title="Sesi Baik")
    s2 = make_session(title="Sesi Buruk", trainer=make_user("pelatih2", "trainer", "3175"), organisation=orgs[1])
    now = timezone.now()
    for s, pre, post in ((s1, 45, 85), (s2, 60, 50)):
        for _ in range(6):
            e = services.enrol(s, make_volunteer())
            for kind, score in (("pre", pre), ("post", post)):
                TestAttempt.objects.create(enrolment=e, kind=kind, score=score, submitted_at=now, question_ids=[],
                                           module_scores={"c-hasil": score, "kecurangan": score},
                                           passed=(score >= 70) if kind == "post" else None)
    page = login_page("koord")
    page.goto(f"{live_server.url}/bimtek/hasil/")
    bad = page.locator("table[data-dim=session] tr.bad")
    assert bad.count() == 1 and "Sesi Buruk" in bad.inner_text() and "-10,0" in bad.inner_text()
    assert "+40,0" in page.locator("table[data-dim=session]").inner_text()
    screenshot(page, "training-gains")


def test_trainer_scans_by_pasting_code(login_page, live_server, session, make_volunteer):
    v = make_volunteer(name="Budi Santoso")
    services.enrol(session, v)
    page = login_page("trainer", viewport=PHONE)
    page.goto(f"{live_server.url}/bimtek/sesi/{session.pk}/qr/")
    assert page.locator(".qr svg").count() == 1
    screenshot(page, "training-session-qr-phone")
    page.goto(f"{live_server.url}/bimtek/sesi/{session.pk}/pindai/")
    page.fill("input[name=token]", tokens.volunteer_token(v.pk))
    page.click("button.primary")
    assert "Budi Santoso tercatat hadir" in page.locator("p.result").inner_text()
    screenshot(page, "training-scan-phone")
    assert Enrolment.objects.get(volunteer=v).attended


def test_public_verification_page(browser, live_server, session, make_volunteer):
    v = make_volunteer(name="Siti Nurhaliza")
    e = services.enrol(session, v)
    services.mark_attended(e, Enrolment.Method.MANUAL)
    TestAttempt.objects.create(enrolment=e, kind="post", score=90, passed=True, question_ids=[])
    cert = certificates.issue(e)
    page = browser.new_page(viewport={"width": PHONE[0], "height": PHONE[1]})
    page.goto(f"{live_server.url}/bimtek/sertifikat/{cert.verification_code}/")
    assert "ASLI" in page.locator(".verdict").inner_text()
    assert "Si** Nu*******" in page.content() and "Siti Nurhaliza" not in page.content()
    screenshot(page, "training-verify-phone")
    page.fill("input[name=kode]", "ZZZZZZZZZZ")
    page.click("form button")
    assert "TIDAK ASLI" in page.locator(".verdict").inner_text()
