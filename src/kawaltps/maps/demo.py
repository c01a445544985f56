"""Demo step: Jakarta's kelurahan boundaries from the shared real-data file, when it is there.

Without the file the map page still works: it draws the kota tile map and the sorted table.
"""

from .boundaries import BoundaryFileError, default_path, import_boundaries
from .models import RegionShape


def populate(ctx) -> list[str]:
    path = default_path()
    if RegionShape.objects.exists():
        return [f"Peta: {RegionShape.objects.count()} batas kelurahan (sudah ada)"]
    if not path.is_file():
        return [f"Peta: berkas batas kelurahan {path} tidak ada; peta memakai petak per kota"]
    try:
        report = import_boundaries(path, "31")
    except BoundaryFileError as exc:
        return [f"Peta: {path} tidak terbaca ({exc})"]
    return [f"Peta: {len(report.stored)} batas kelurahan dari {path.name} "
            f"({len(report.unmatched)} tidak cocok, {len(report.without_shape)} kelurahan tanpa batas)"]
