"""Hand-built boundaries: three kelurahan of the small election (one in two parts), one unknown."""

import json

import pytest


def square(x0: float, y0: float, size: float = 0.03) -> list:
    return [[[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]]


def feature(kota: str, kec: str, kel: str, *polygons) -> dict:
    return {"type": "Feature", "properties": {"KABUPATEN/KOTA": kota, "KECAMATAN": kec, "DESA/KELURAHAN": kel},
            "geometry": {"type": "MultiPolygon", "coordinates": list(polygons)}}


FEATURES = [
    feature("JAKARTA TIMUR", "MAKASAR", "MAKASAR", square(106.86, -6.28)),
    feature("Kota Adm. Jakarta Timur", "Kec. Makasar", "Pinang-Ranti", square(106.89, -6.28)),  # spelt otherwise
    feature("JAKARTA PUSAT", "GAMBIR", "GAMBIR", square(106.81, -6.18, 0.01)),  # two features, one kelurahan
    feature("JAKARTA PUSAT", "GAMBIR", "GAMBIR", square(106.82, -6.18, 0.01)),
    feature("JAKARTA PUSAT", "GAMBIR", "KELURAHAN KHAYALAN", square(106.83, -6.18, 0.01)),
]


@pytest.fixture
def shapes_file(tmp_path):
    path = tmp_path / "kelurahan.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": FEATURES}))
    return path


@pytest.fixture
def shaped(jakarta, shapes_file):
    """The hand-built shapes imported (3 kelurahan)."""
    from kawaltps.maps.boundaries import import_boundaries

    return import_boundaries(shapes_file)
