"""The dashboard in headless Chromium: desktop and a 360 px phone, and the 5-second live refresh."""

from playwright.sync_api import expect

from kawaltps.results import services
from kawaltps.results.tabulation import rebuild_tallies

from ..conftest import screenshot
from .helpers import good_form


def _fill(users, election):
    rebuild_tallies(election, "witness")
    for i, (code, votes) in enumerate([("3175081001001", (120, 30, 150)), ("3175081001002", (90, 40, 170)),
                                       ("3171011001001", (60, 25, 80))]):
        v, n = good_form(votes)
        services.submit(users["clerk"], election, code, "clerk_first", v, n, f"b{i}-1")
        if i < 2:
            services.submit(users["clerk2"], election, code, "clerk_first", v, n, f"b{i}-2")


def test_dashboard_desktop_phone_and_live_refresh(small_election, users, login_page, live_server):
    _fill(users, small_election)
    page = login_page("admin")
    page.goto(f"{live_server.url}/hasil/?pemilihan=uji")
    assert page.locator("h1").inner_text().startswith("Rekap hasil")
    assert page.locator(".pc").count() == 3
    assert page.locator("tr[data-row]").count() == 2
    screenshot(page, "results-dashboard-desktop")
    page.click("tr[data-row='3175'] a")
    page.click("tr[data-row='317508'] a")
    page.click("tr[data-row='3175081001'] a")
    assert page.locator("tr[data-tps]").count() == 2
    screenshot(page, "results-dashboard-kelurahan")
    page.click("tr[data-tps='3175081001001'] a")
    assert "/hasil/tps/3175081001001/" in page.url

    phone = login_page("koord", viewport=(360, 780))
    phone.goto(f"{live_server.url}/hasil/?pemilihan=uji")
    cell = phone.locator(".summary [data-f='coverage.entered']").first
    assert cell.inner_text() == "0"  # both TPS of 3175 with numbers are verified: each TPS counted once
    # A new entry while the page is open shows within the next refresh (every 5 s), no reload.
    v, n = good_form((5, 5, 5))
    services.submit(users["clerk"], small_election, "3175081002001", "clerk_first", v, n, "live-1")
    # a locator assertion, not wait_for_function: the page's CSP forbids the eval that one needs
    expect(phone.locator(".summary [data-f='coverage.entered']")).to_have_text("1", timeout=15000)
    assert phone.locator(".summary [data-f='votes.1']").inner_text() == "215"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 362  # the wide table scrolls inside its box, the page does not
    screenshot(phone, "results-dashboard-phone")
