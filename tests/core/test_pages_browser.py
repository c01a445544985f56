"""The pages in headless Chromium: login, each role's home, the region browser on a phone."""

import pytest

from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_home_and_region_drilldown(login_page, users, small_election):
    page = login_page("admin")
    assert page.locator("h1").inner_text().startswith("Halo")
    assert page.locator(".card").count() >= 3
    screenshot(page, "home-admin")
    page.click("text=Wilayah & TPS")
    page.click("text=KOTA ADM. JAKARTA TIMUR")
    page.click("text=Makasar")
    assert "Pinangranti" in page.content()
    screenshot(page, "region-makasar")


def test_saksi_on_a_phone_lands_on_their_tps(login_page, users, small_election):
    page = login_page("saksi", viewport=(360, 740))
    page.click("text=TPS Anda")
    assert "3175081001001" in page.content()
    # nothing on the page is wider than the phone
    wide = page.evaluate("""Array.from(document.querySelectorAll('body *'))
        .filter(e => e.getBoundingClientRect().right > 361).map(e => e.tagName + '.' + e.className)""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide
    screenshot(page, "saksi-tps-phone")
