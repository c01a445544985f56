"""Headless Chromium: /peta/ draws the polygons, the legend and the labels, switches layers, and
falls back to the tile map without boundaries; no JS error anywhere (errors are shown, not swallowed)."""

import pytest

from tests.conftest import SCREENSHOTS, screenshot, shared_file
from tests.maps.test_data import KEL_IN, world  # noqa: F401  (the hand-built data)

pytestmark = pytest.mark.browser


def open_map(login_page, live_server, username, query="", viewport=(1280, 900)):
    page = login_page(username, viewport=viewport)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/peta/?pemilihan=uji{query}")
    return page, errors


def wait_drawn(page):
    page.wait_for_selector('#peta[data-state="drawn"], #peta[data-state="error"]')  # CSP: no string eval
    assert page.locator("#peta-error").is_hidden(), page.locator("#peta-error").inner_text()
    assert page.locator("#peta").get_attribute("data-state") == "drawn"


def test_map_draws_polygons_and_switches_layer(login_page, live_server, world):  # noqa: F811
    page, errors = open_map(login_page, live_server, "koord", "&layer=chasil")
    wait_drawn(page)
    assert page.locator("path.leaflet-interactive").count() == 2 + 1  # Makasar, Pinangranti + 1 TPS circle
    fill = page.locator("path.leaflet-interactive").first.get_attribute("fill")
    assert fill == "#f2a541"  # Makasar: 1 of 2 TPS with numbers (50–79 %)
    assert page.locator("#peta-legend li").count() == 6
    labels = sorted(page.locator(".peta-label").all_inner_texts())
    assert labels == ["0%\nPinangranti", "50%\nMakasar"]  # value (and name) readable without hovering
    assert page.locator("#peta-table tbody tr").count() == 65  # every kelurahan of Jakarta Timur
    assert page.locator("#peta-tiles rect").count() == 63  # those without a boundary: the tile map
    page.select_option("#peta-layer", "selisih")
    page.wait_for_selector('#peta[data-layer="selisih"]')
    wait_drawn(page)
    assert page.locator("#peta-col").inner_text() == "Selisih menurut dampak"
    assert page.locator("#peta-table tbody tr").first.get_attribute("data-code") == KEL_IN  # largest impact first
    assert "101–1.000" in page.locator("#peta-legend").inner_text()
    assert "layer=selisih" in page.url
    assert errors == []


def test_without_boundaries_the_tiles_and_table_remain(login_page, live_server, world):  # noqa: F811
    from kawaltps.maps.models import RegionShape

    RegionShape.objects.all().delete()
    page, errors = open_map(login_page, live_server, "observer", "&layer=hadir", viewport=(360, 780))
    assert page.locator("#peta").is_hidden()
    assert page.locator("#peta-tiles rect").count() == 267
    assert page.locator(f'#peta-tiles rect[data-code="{KEL_IN}"]').get_attribute("fill") == "#1e7b34"
    assert page.locator("#peta-legend li").count() == 6
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors == []
    screenshot(page, "maps-tiles-360")
    page.screenshot(path=str(SCREENSHOTS / "maps-tiles-360-view.png"))


@pytest.mark.realdata
def test_real_jakarta_boundaries_screenshots(login_page, live_server, world):  # noqa: F811
    from django.core.management import call_command

    path = shared_file("id", "dki_kelurahan.geojson")
    call_command("import_boundaries", str(path))
    for width, height in ((1280, 900), (360, 780)):
        page, errors = open_map(login_page, live_server, "observer", "&layer=kesiapan", viewport=(width, height))
        wait_drawn(page)
        assert page.locator("path.leaflet-interactive").count() >= 253
        # Only the 3 kelurahan with TPS in the hand-built register have a value; at the scale of all
        # Jakarta they may be too small to hold a label, and no polygon without data gets one.
        assert page.locator(".peta-label").count() <= 3
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert errors == []
        screenshot(page, f"maps-jakarta-{width}")
        page.screenshot(path=str(SCREENSHOTS / f"maps-jakarta-{width}-view.png"))  # the first screen alone
        page.close()
    # One kecamatan (Makasar) drawn alone: its kelurahan are large enough for their values.
    page, errors = open_map(login_page, live_server, "observer", "&layer=kesiapan&wilayah=3175081")
    wait_drawn(page)
    labels = sorted(page.locator(".peta-label").all_inner_texts())
    assert labels == ["0%\nPinangranti", "100%"]  # Makasar's polygon is too narrow for its name
    assert errors == []
