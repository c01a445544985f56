"""``kawaltps import-boundaries``: matching by name, merging, simplifying, refusing bad files."""

import json

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import shape

from kawaltps.maps.boundaries import normalise
from kawaltps.maps.models import RegionShape
from tests.conftest import shared_file


def run(*args) -> dict:
    import io

    out = io.StringIO()
    call_command("import_boundaries", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_normalise_names():
    assert normalise("KOTA ADM. JAKARTA TIMUR") == normalise("Jakarta Timur") == "jakartatimur"
    assert normalise("Pinang-Ranti ") == normalise("PINANGRANTI") == "pinangranti"
    assert normalise("KAB. ADM. KEP. SERIBU") == normalise("Kepulauan Seribu") == "kepulauanseribu"
    assert normalise("Kec. Makasar") == "makasar"


def test_hand_built_file(jakarta, shapes_file):
    data = run(str(shapes_file))
    assert data["features"] == 5 and data["matched"] == 4 and data["unmatched_count"] == 1
    assert data["unmatched"] == [{"kota": "JAKARTA PUSAT", "kecamatan": "GAMBIR", "kelurahan": "KELURAHAN KHAYALAN"}]
    assert data["stored"] == 3 and data["merged"] == 1
    assert data["kelurahan_without_shape"] == 267 - 3
    assert set(RegionShape.objects.values_list("region_id", flat=True)) == {"3175081001", "3175081002", "3171011001"}
    gambir = RegionShape.objects.get(region_id="3171011001")
    geom = shape(json.loads(gambir.geojson))
    assert geom.geom_type == "Polygon"  # the two touching squares became one
    assert geom.bounds == pytest.approx((106.81, -6.18, 106.83, -6.17))
    assert geom.contains(shape({"type": "Point", "coordinates": [gambir.label_lon, gambir.label_lat]}))
    assert gambir.area_km2 == pytest.approx(0.02 * 0.01 * 111.32 * 110.57, rel=1e-3)
    run(str(shapes_file))  # again: replaced, not doubled
    assert RegionShape.objects.count() == 3


def test_text_output_lists_unmatched(jakarta, shapes_file):
    import io

    out = io.StringIO()
    call_command("import_boundaries", str(shapes_file), stdout=out)
    assert "tidak cocok: JAKARTA PUSAT / GAMBIR / KELURAHAN KHAYALAN" in out.getvalue()


@pytest.mark.parametrize("content, message", [
    ("{not json", "bukan GeoJSON yang sah"),
    ('{"type": "Feature"}', "bukan GeoJSON FeatureCollection"),
    ('{"type": "FeatureCollection", "features": [{"properties": {}, "geometry": null}]}', "tidak punya nama"),
    ('{"type": "FeatureCollection", "features": [{"properties": {"KABUPATEN/KOTA": "JAKARTA TIMUR", '
     '"KECAMATAN": "MAKASAR", "DESA/KELURAHAN": "MAKASAR"}, "geometry": {"type": "Point", "coordinates": [1, 2]}}]}',
     "bukan Polygon/MultiPolygon"),
    ('{"type": "FeatureCollection", "features": [{"properties": {"KABUPATEN/KOTA": "JAKARTA TIMUR", '
     '"KECAMATAN": "MAKASAR", "DESA/KELURAHAN": "MAKASAR"}, "geometry": {"type": "Polygon", '
     '"coordinates": [[[700000, 9300000], [700100, 9300000], [700100, 9300100], [700000, 9300000]]]}}]}',
     "WGS 84"),
])
def test_bad_files_change_nothing(shaped, tmp_path, content, message):
    before = list(RegionShape.objects.order_by("region_id").values_list("region_id", "geojson"))
    bad = tmp_path / "bad.geojson"
    bad.write_text(content)
    with pytest.raises(CommandError, match=message) as exc:
        call_command("import_boundaries", str(bad))
    assert "Tidak ada yang diubah" in str(exc.value)
    assert list(RegionShape.objects.order_by("region_id").values_list("region_id", "geojson")) == before


def test_missing_file_and_no_regions(db, tmp_path, shapes_file):
    with pytest.raises(CommandError, match="berkas tidak ditemukan"):
        call_command("import_boundaries", str(tmp_path / "nope.geojson"))
    with pytest.raises(CommandError, match="import-regions"):
        call_command("import_boundaries", str(shapes_file))


@pytest.mark.realdata
def test_real_jakarta_file(jakarta):
    path = shared_file("id", "dki_kelurahan.geojson")
    data = run(str(path), "--wilayah", "31")
    # 253 features, every one named like a Kemendagri kelurahan (README: Kepulauan Seribu and 8
    # mainland kelurahan are missing, so 267 − 253 = 14 kelurahan keep the tile map)
    assert data["features"] == 253
    assert data["matched"] == 253 and data["unmatched_count"] == 0
    assert data["stored"] == 253 and data["kelurahan_without_shape"] == 14
    assert not RegionShape.objects.filter(region__code__startswith="3101").exists()  # Kepulauan Seribu
    total = sum(len(s) for s in RegionShape.objects.values_list("geojson", flat=True))
    assert total < path.stat().st_size / 4  # simplified: a fraction of the 1.7 MB file
    makasar = RegionShape.objects.get(region_id="3175081001")
    geom = shape(json.loads(makasar.geojson))
    assert geom.is_valid and 106.8 < geom.centroid.x < 106.95 and -6.3 < geom.centroid.y < -6.2
    assert 0.5 < makasar.area_km2 < 10  # Makasar kelurahan is a few km²


@pytest.mark.realdata
def test_demo_step_imports_the_shared_file_once(jakarta):
    from types import SimpleNamespace

    from kawaltps.maps import demo
    from kawaltps.maps.boundaries import default_path

    shared_file("id", "dki_kelurahan.geojson")
    assert default_path() == shared_file("id", "dki_kelurahan.geojson")  # the default finds the shared file
    lines = demo.populate(SimpleNamespace(election=None))
    assert lines == ["Peta: 253 batas kelurahan dari dki_kelurahan.geojson (0 tidak cocok, 14 kelurahan tanpa batas)"]
    assert demo.populate(SimpleNamespace(election=None)) == ["Peta: 253 batas kelurahan (sudah ada)"]
