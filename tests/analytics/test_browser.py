"""Headless Chromium: the quick-count page with its timeline and the forensics page with its plots, on a
phone-sized and a desktop screen; the English page when the user picked English."""

import pytest

from kawaltps.analytics.sampling import create_draw
from tests.conftest import PASSWORD, screenshot

from .conftest import build_election

pytestmark = pytest.mark.browser


@pytest.fixture
def qc(users, transactional_db):
    election = build_election()
    create_draw(election, sample_size=300, seed=5)
    return election


def test_quickcount_and_forensics_pages(login_page, live_server, qc):
    page = login_page("observer", viewport=(390, 844))
    page.goto(f"{live_server.url}/analitik/?pemilihan=qc")
    assert page.locator("#estimates tbody tr").count() == 2
    assert page.locator(".plot svg").count() == 1
    assert "satu putaran" in page.locator("#call").inner_text()
    screenshot(page, "analytics-quickcount-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/analitik/forensik/?pemilihan=qc")
    page.wait_for_load_state("networkidle")
    images = page.locator("p.plots img")
    assert images.count() == 3
    for i in range(3):  # every plot really loaded (a PNG the browser could decode)
        assert images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator("#tests tbody tr").count() == 6
    screenshot(page, "analytics-forensics")
    page.click("#regions tbody tr >> nth=0 >> a")
    page.wait_for_url("**wilayah=31*")
    assert page.locator("#tests tbody tr").count() == 6


def test_quickcount_page_in_english(client, users, qc):
    client.login(username="observer", password=PASSWORD)
    client.cookies["django_language"] = "en"
    html = client.get("/analitik/?pemilihan=qc").content.decode()
    assert "Estimate" in html and "Standard error" in html and "Perkiraan" not in html
