"""``kawaltps import-boundaries [FILE] [--wilayah CODE] [--json]``: kelurahan shapes from GeoJSON."""

from pathlib import Path

from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.maps.boundaries import BoundaryFileError, default_path, import_boundaries
from kawaltps.regions.models import Region


class Command(JsonCommand):
    help = ("Load kelurahan boundaries from a GeoJSON FeatureCollection whose features name their "
            "KABUPATEN/KOTA, KECAMATAN and DESA/KELURAHAN (default: ../shared/data/id/dki_kelurahan.geojson).")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", nargs="?", type=Path, help="GeoJSON file (default: the shared Jakarta file)")
        parser.add_argument("--wilayah", default="", help="only regions under this code (e.g. 31)")

    def handle(self, *args, file: Path | None, wilayah: str, **options):
        file = file or default_path()
        if not file.is_file():
            raise CommandError(f"berkas tidak ditemukan: {file}")
        prefix = wilayah.replace(".", "").strip()
        if prefix and not (prefix.isascii() and prefix.isdigit()):
            raise CommandError(f"kode wilayah tidak sah: {wilayah[:20]}")
        if not Region.objects.filter(level=4, code__startswith=prefix).exists():
            raise CommandError("belum ada kelurahan di basis data: jalankan `kawaltps import-regions` lebih dulu. "
                               "Tidak ada yang diubah.")
        try:
            report = import_boundaries(file, prefix)
        except BoundaryFileError as exc:
            raise CommandError(f"{file}: {exc}. Tidak ada yang diubah.") from None
        data = report.as_dict()
        lines = [f"fitur: {data['features']}, cocok: {data['matched']}, tidak cocok: {data['unmatched_count']}, "
                 f"disimpan: {data['stored']} kelurahan (digabung: {data['merged']}), "
                 f"kelurahan tanpa batas: {data['kelurahan_without_shape']}"]
        lines += [f"  tidak cocok: {u['kota']} / {u['kecamatan']} / {u['kelurahan']}" for u in report.unmatched]
        self.emit(data, "\n".join(lines))
