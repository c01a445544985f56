"""The discrepancy pages in headless Chromium (screenshots under screenshots/)."""

import hashlib
import io

import pytest
from django.core.files.base import ContentFile

from kawaltps.recap.dhasil import add_photo
from kawaltps.recap.discrepancies import recompute
from kawaltps.recap.models import DHasil

from ..conftest import screenshot

pytestmark = pytest.mark.browser


def png(text: str) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (600, 400), "white")
    ImageDraw.Draw(img).text((30, 30), text, fill="black")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def evidence(loaded, users):
    from kawaltps.results.models import Photo, TpsResult

    result = TpsResult.objects.get(code="3175081001001", source="witness")
    data = png("C.HASIL TPS 001 - saksi")
    photo = Photo(
        result=result, page=2, content_type="image/png", size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )
    photo.file.save("hal2.png", ContentFile(data), save=False)
    photo.save()
    add_photo(DHasil.objects.get(code="317101"), png("D.HASIL KECAMATAN 317101"))
    recompute(loaded)
    return loaded


def test_ranked_list_and_drill_down(evidence, login_page, live_server):
    page = login_page("legal")
    page.goto(f"{live_server.url}/rekap/?pemilihan=uji")
    rows = page.locator("#discrepancies tbody tr")
    assert rows.count() == 4  # the kecamatan twice: Sirekap sum and our saksi's sum
    assert "3175081001001" in rows.nth(0).inner_text() and "+10" in rows.nth(0).inner_text()
    screenshot(page, "recap-list")
    rows.nth(0).locator("a").first.click()
    page.wait_for_selector("#numbers")
    assert "10" in page.locator(".moved").inner_text()
    assert page.locator("#witness img").count() == 1
    assert page.locator("#official a").count() == 0 or page.locator("#official").is_visible()
    assert page.locator("#dossier").is_visible()
    screenshot(page, "recap-detail-tps")
    with page.expect_download() as dl:
        page.click("#dossier")
    assert dl.value.suggested_filename.startswith("berkas-bukti-uji-3175081001001")
    page.goto(f"{live_server.url}/rekap/?pemilihan=uji&tahap=tps_kecamatan")
    page.locator("#discrepancies tbody tr a").first.click()
    page.wait_for_selector("#dhasil img")
    screenshot(page, "recap-detail-kecamatan")


def test_mobile_list_for_a_koordinator(evidence, login_page, live_server):
    page = login_page("koord", viewport=(390, 800))
    page.goto(f"{live_server.url}/rekap/?pemilihan=uji")
    assert page.locator("#discrepancies tbody tr").count() == 1
    screenshot(page, "recap-list-mobile")
