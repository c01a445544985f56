"""Headless Chromium: the saksi's form on a phone, the supervisor's reconciliation page."""

import pytest

from kawaltps.results import services
from kawaltps.results.models import State, Submission, TpsResult
from tests.conftest import screenshot

from .conftest import make_jpeg
from .helpers import good_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TPS = "3175081001001"


def test_saksi_submits_from_a_phone(login_page, live_server, small_election, users, tmp_path):
    page = login_page("saksi", viewport=(360, 740))
    page.goto(f"{live_server.url}/hasil/kirim/")
    assert page.locator("h1").inner_text().startswith("C.Hasil TPS 001")
    votes, numbers = good_form()
    for k, v in votes.items():
        page.fill(f"input[name=paslon_{k}]", str(v))
    for k, v in numbers.items():
        page.fill(f"input[name={k}]", str(v))
    photo = tmp_path / "hal2.jpg"
    photo.write_bytes(make_jpeg(seed=9))
    page.set_input_files("input[name=foto_2]", str(photo))
    # the form fits the phone: no horizontal scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "results-saksi-form-phone")
    page.click("button.primary.big")
    page.wait_for_selector("#queue-result .notice.ok")  # the server's acknowledgement, in plain words
    assert "tercatat sebagai angka TPS ini" in page.inner_text("#queue-result")
    screenshot(page, "results-saksi-after-submit-phone")
    page.click("#queue-result a")
    page.wait_for_url(f"**/hasil/tps/{TPS}/**")
    result = TpsResult.objects.get(code=TPS)
    assert result.state == State.ENTERED and result.photos.count() == 1
    assert Submission.objects.count() == 1


def test_saksi_sees_errors_in_indonesian(login_page, live_server, small_election, users):
    page = login_page("saksi", viewport=(360, 740))
    page.goto(f"{live_server.url}/hasil/kirim/")
    page.fill("input[name=paslon_1]", "-4")
    page.fill("input[name=paslon_2]", "10")
    page.fill("input[name=paslon_3]", "12")
    page.click("button.primary.big")
    page.wait_for_selector("p.error[role=alert]")
    assert "tidak boleh negatif" in page.content()
    screenshot(page, "results-saksi-error-phone")
    assert not Submission.objects.exists()


def test_supervisor_reconciles_side_by_side(login_page, live_server, small_election, users):
    votes, numbers = good_form()
    services.submit(users["clerk"], small_election, TPS, "clerk_first", votes, numbers, "b1",
                    photos=[(2, make_jpeg(seed=4))])
    services.submit(users["clerk2"], small_election, TPS, "clerk_second", {**votes, "1": 112}, numbers, "b2")
    page = login_page("koord")
    page.goto(f"{live_server.url}/hasil/rekonsiliasi/?pemilihan=uji")
    page.click("text=Bandingkan dan putuskan")
    page.wait_for_selector("table.compare")
    assert page.locator("tr.differs").count() == 1
    assert page.locator("tr.differs").inner_text().split() [-2:] == ["120", "112"]
    assert page.locator(".photos img").count() == 1
    screenshot(page, "results-reconcile")
    page.check("input[name=submission] >> nth=1")
    page.fill("textarea[name=note]", "foto jelas: 112")
    page.click("button.primary")
    page.wait_for_url("**/hasil/rekonsiliasi/?pemilihan=uji")
    result = TpsResult.objects.get(code=TPS)
    assert result.state == State.FINAL and result.votes["1"] == 112
    page.goto(f"{live_server.url}/hasil/tps/{TPS}/?pemilihan=uji")
    assert "Paslon 01: 120 → 112" in page.content()
    screenshot(page, "results-tps-history")
