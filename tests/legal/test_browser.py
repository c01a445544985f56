"""The legal pages in headless Chromium: the legal team ticks a finding, makes the report, edits the
narrative and sees the countdown; the MK page builds a package (screenshots under screenshots/)."""

import pytest

from kawaltps.legal.models import BawasluReport, MkPackage

from ..conftest import screenshot
from .conftest import TPS_IN

pytestmark = pytest.mark.browser


def test_report_from_ticked_finding_and_mk_package(users, loaded, findings, incident, login_page, live_server):
    page = login_page("legal")
    page.goto(f"{live_server.url}/hukum/bawaslu/baru/?pemilihan={loaded.slug}")
    page.check(f"#findings input[value='{findings[f'tps_sirekap:{TPS_IN}'].pk}']")
    page.check(f"#incidents input[value='{incident.pk}']")
    page.fill("input[name=nama]", "Budi Santoso")
    page.fill("input[name=telepon]", "081234565678")
    screenshot(page, "legal-create")
    page.click("#create-form button")
    page.wait_for_url("**/hukum/bawaslu/*/")
    assert "04-12-2024" in page.locator("#countdown").inner_text()
    page.fill("textarea[name=uraian]", "Uraian disunting di peramban.")
    page.click("#narrative-form button")
    page.wait_for_url("**/hukum/bawaslu/*/")
    assert BawasluReport.objects.get().narrative == "Uraian disunting di peramban."
    assert "Bukti" in page.content()
    screenshot(page, "legal-report")
    page.goto(f"{live_server.url}/hukum/mk/?pemilihan={loaded.slug}&wilayah=31")
    page.fill("input[name=diumumkan]", "2024-12-06")
    page.fill("input[name=penduduk]", "11350328")
    page.click("#mk-form button")
    page.wait_for_selector("#mk-table")
    assert "11-12-2024" in page.content() and MkPackage.objects.count() == 1
    assert page.locator("#mk-table tbody tr").count() == 3
    screenshot(page, "legal-mk")
