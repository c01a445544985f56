"""Real Chromium: a saksi on a phone sees their TPS and mandate; a koordinator sees the gaps map."""

import pytest

from kawaltps.deployment import mandates, services
from tests.conftest import screenshot


@pytest.mark.django_db(transaction=True)
def test_saksi_phone_and_koordinator_gaps_map(small_election, signer, volunteer, users, login_page, live_server):
    v = volunteer("3175081001", login=True, name="Dewi Lestari")
    a = services.assign_by_hand(small_election, v, "3175081001001")
    mandates.issue_for_assignment(a)
    page = login_page(v.user.username, viewport=(390, 800))
    page.goto(f"{live_server.url}/penugasan/saya/")
    text = page.inner_text("main")
    assert "TPS 001" in text and "Unduh surat mandat (PDF)" in text
    screenshot(page, "deployment_saksi_phone")
    r = page.request.get(f"{live_server.url}{page.get_attribute('a.primary', 'href')}")
    assert r.status == 200 and r.body().startswith(b"%PDF")
    page = login_page("koord")
    page.goto(f"{live_server.url}/penugasan/celah/?pemilihan=uji&wilayah=3175")
    assert page.locator("svg rect").count() >= 2
    assert page.locator("tr.gap").count() == 4  # 3 without a saksi, 1 without a backup
    screenshot(page, "deployment_gaps")

