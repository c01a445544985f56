"""Kelurahan boundaries from a GeoJSON file, matched to our regions by name.

The real file (``../shared/data/id/dki_kelurahan.geojson``, reynardaj/GeoVest) carries no codes,
only names: ``KABUPATEN/KOTA``, ``KECAMATAN``, ``DESA/KELURAHAN``. Rules:

- a name is compared normalised (``normalise``): case folded, the level words in front dropped
  ("KOTA ADM.", "KAB. ADM.", "KECAMATAN", "KELURAHAN", …), "KEP." read as "KEPULAUAN", then
  everything but letters and digits removed ("Kebon Jeruk" = "KEBON JERUK" = "Kebon-Jeruk");
- a feature matches the kelurahan with that name inside the kecamatan with that name inside the
  kota with that name (names repeat across kecamatan: "Cempaka Baru", "Kebon Kosong");
- two features for one kelurahan are merged (their union); a feature that matches nothing is
  reported (``unmatched``) and stored nowhere;
- geometry is simplified (Douglas–Peucker, ``TOLERANCE`` degrees ≈ 11 m, topology kept) and its
  coordinates rounded to ``DIGITS`` decimals (≈ 1 m), so all of Jakarta travels in a few hundred kB;
- an import replaces the shapes of the regions it matched and leaves the others; a file that
  cannot be read changes nothing (one transaction, checks first).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from kawaltps.regions.codes import Level
from kawaltps.regions.models import Region

from .models import RegionShape

TOLERANCE = 0.0001  # degrees (≈ 11 m at Jakarta's latitude)
DIGITS = 5
KM2_PER_DEG2 = 111.32 * 110.57  # at 6° S (cos 6.2° ≈ 0.994); good to 1 % for Jakarta
NAME_FIELDS = ("KABUPATEN/KOTA", "KECAMATAN", "DESA/KELURAHAN")
_LEVEL_WORDS = re.compile(
    r"^(kota\s+adm(inistrasi)?\.?|kab(upaten)?\.?\s*adm(inistrasi)?\.?|kabupaten|kab\.?|kota|"
    r"kecamatan|kec\.?|kelurahan|kel\.?|desa)\s+")


class BoundaryFileError(ValueError):
    """The file is not a GeoJSON FeatureCollection of kelurahan we can read (message in Indonesian)."""


def default_path() -> Path:
    """The shared real-data file: ``$KAWALTPS_SHARED_DATA/id/dki_kelurahan.geojson``, else
    ``../shared/data/id/dki_kelurahan.geojson`` beside the repository (as ``tests/conftest.py``)."""
    base = os.environ.get("KAWALTPS_SHARED_DATA")
    root = Path(base) if base else Path(__file__).resolve().parents[3].parent / "shared" / "data"
    return root / "id" / "dki_kelurahan.geojson"


def normalise(name: str) -> str:
    """``"KOTA ADM. JAKARTA TIMUR"`` → ``"jakartatimur"``; ``"Kebon-Jeruk "`` → ``"kebonjeruk"``."""
    text = " ".join(str(name or "").casefold().split())
    text = _LEVEL_WORDS.sub("", text)
    text = re.sub(r"\bkep\b\.?", "kepulauan", text)
    return re.sub(r"[^0-9a-z]", "", text)


@dataclass
class ImportReport:
    features: int = 0
    matched: int = 0
    merged: int = 0
    unmatched: list[dict] = field(default_factory=list)
    stored: list[str] = field(default_factory=list)
    without_shape: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"features": self.features, "matched": self.matched, "merged": self.merged,
                "unmatched_count": len(self.unmatched), "unmatched": self.unmatched,
                "stored": len(self.stored), "kelurahan_without_shape": len(self.without_shape)}


def _kelurahan_index(prefix: str = "") -> dict[tuple[str, str, str], str]:
    """(kota, kecamatan, kelurahan) normalised names → kelurahan code, for regions under ``prefix``."""
    names = dict(Region.objects.filter(code__startswith=prefix, level__in=[Level.KABKOTA, Level.KECAMATAN])
                 .values_list("code", "name"))
    out = {}
    for code, name in Region.objects.filter(code__startswith=prefix, level=Level.KELURAHAN).values_list("code", "name"):
        kota, kec = names.get(code[:4]), names.get(code[:6])
        if kota is not None and kec is not None:
            out[(normalise(kota), normalise(kec), normalise(name))] = code
    return out


def read_features(data: bytes) -> list[dict]:
    """The features of a GeoJSON FeatureCollection, each with the three name fields and a (Multi)Polygon."""
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryFileError(f"bukan GeoJSON yang sah ({exc.__class__.__name__})") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise BoundaryFileError("bukan GeoJSON FeatureCollection")
    for i, f in enumerate(doc["features"], 1):
        props = f.get("properties") if isinstance(f, dict) else None
        geom = f.get("geometry") if isinstance(f, dict) else None
        if not isinstance(props, dict) or any(not props.get(k) for k in NAME_FIELDS):
            raise BoundaryFileError(f"fitur ke-{i} tidak punya nama {', '.join(NAME_FIELDS)}")
        if not isinstance(geom, dict) or geom.get("type") not in ("Polygon", "MultiPolygon"):
            raise BoundaryFileError(f"fitur ke-{i} bukan Polygon/MultiPolygon")
    return doc["features"]


def _geometry(feature: dict, number: int) -> BaseGeometry:
    try:
        geom = shape(feature["geometry"])
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise BoundaryFileError(f"fitur ke-{number}: koordinat tidak terbaca ({exc})") from None
    if geom.is_empty:
        raise BoundaryFileError(f"fitur ke-{number}: geometri kosong")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise BoundaryFileError(f"fitur ke-{number}: koordinat di luar bujur/lintang (harus WGS 84)")
    return geom if geom.is_valid else geom.buffer(0)


def _rounded(coords):
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(coords[0], DIGITS), round(coords[1], DIGITS)]
    return [_rounded(c) for c in coords]


def simplified_geojson(geom: BaseGeometry) -> str:
    """``geom`` simplified (topology kept) and rounded, as compact GeoJSON geometry text."""
    small = geom.simplify(TOLERANCE, preserve_topology=True)
    if small.is_empty:
        small = geom
    m = mapping(small)
    return json.dumps({"type": m["type"], "coordinates": _rounded(m["coordinates"])}, separators=(",", ":"))


def import_boundaries(path: Path, prefix: str = "") -> ImportReport:
    """Read ``path``, match its features to kelurahan under ``prefix`` and store their shapes."""
    features = read_features(Path(path).read_bytes())
    index = _kelurahan_index(prefix)
    report = ImportReport(features=len(features))
    geoms: dict[str, list[BaseGeometry]] = {}
    for i, f in enumerate(features, 1):
        props = f["properties"]
        key = tuple(normalise(props[k]) for k in NAME_FIELDS)
        code = index.get(key)
        geom = _geometry(f, i)
        if code is None:
            report.unmatched.append({"kota": props[NAME_FIELDS[0]], "kecamatan": props[NAME_FIELDS[1]],
                                     "kelurahan": props[NAME_FIELDS[2]]})
            continue
        report.matched += 1
        geoms.setdefault(code, []).append(geom)
    rows = []
    for code, parts in sorted(geoms.items()):
        report.merged += len(parts) - 1
        geom = unary_union(parts) if len(parts) > 1 else parts[0]
        point = geom.representative_point()
        rows.append(RegionShape(region_id=code, geojson=simplified_geojson(geom), label_lat=round(point.y, DIGITS),
                                label_lon=round(point.x, DIGITS), area_km2=round(geom.area * KM2_PER_DEG2, 3),
                                source=Path(path).name[:200]))
    with transaction.atomic():
        RegionShape.objects.filter(region_id__in=[r.region_id for r in rows]).delete()
        RegionShape.objects.bulk_create(rows)
    report.stored = [r.region_id for r in rows]
    have = set(RegionShape.objects.filter(region__code__startswith=prefix).values_list("region_id", flat=True))
    report.without_shape = [c for c in sorted(set(index.values())) if c not in have]
    return report
