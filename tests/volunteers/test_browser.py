"""Headless Chromium: self-registration on a phone, the readiness page with its map."""

import pytest

from kawaltps.volunteers.models import Volunteer

from ..conftest import screenshot
from .conftest import nik

pytestmark = pytest.mark.browser


def test_register_on_phone(browser, live_server, orgs):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(f"{live_server.url}/relawan/daftar/")
    page.fill("input[name=name]", "Siti Rahmawati")
    page.fill("input[name=nik]", nik("3175081002", 5, 1, True))
    page.fill("input[name=phone]", "0812 3456 7001")
    page.select_option("select[name=kelurahan]", "3175081002")
    page.select_option("select[name=organisation]", str(orgs["rkj"].pk))
    page.click("button.primary")  # consent not ticked yet
    assert page.locator(".consent .error").inner_text().startswith("Pendaftaran memerlukan persetujuan")
    assert Volunteer.objects.count() == 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    screenshot(page, "volunteers-register-phone-error")
    page.check("input[name=consent]")
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/relawan/daftar/terima-kasih/")
    screenshot(page, "volunteers-register-phone-done")
    v = Volunteer.objects.get()
    assert v.phone == "6281234567001" and v.consent_at and v.organisation == orgs["rkj"]


def test_readiness_page(login_page, live_server, users, small_election):
    for i, (kel, status) in enumerate([("3175081001", "certified")] * 4 + [("3175081002", "trained")]
                                      + [("3171011001", "certified")] * 1):
        Volunteer.objects.create(name=f"R{i}", nik=nik(kel, 1 + i, i + 1), phone=f"62812000{i:05d}",
                                 kelurahan_id=kel, status=status)
    page = login_page("observer")
    page.goto(f"{live_server.url}/relawan/kesiapan/?pemilihan=uji")
    assert page.locator(".tilemap rect").count() == 267
    full = page.locator('rect[data-code="3175081001"]').get_attribute("fill")
    half = page.locator('rect[data-code="3171011001"]').get_attribute("fill")
    assert full == "#1e7b34" and half == "#e4572e"  # 4 of 4 saksi slots; 1 of 4
    screenshot(page, "volunteers-readiness")
    page.click('rect[data-code="3175081001"]')
    page.wait_for_url("**wilayah=317508**")
    assert "Pinangranti" in page.content()
    screenshot(page, "volunteers-readiness-makasar")
