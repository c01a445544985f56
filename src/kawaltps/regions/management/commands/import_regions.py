from pathlib import Path

from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.regions.importer import RegionFileError, import_regions, read_rows


class Command(JsonCommand):
    help = "Load Kemendagri regions from a kode,nama,level CSV (e.g. ../shared/data/id/wilayah_2023.csv)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", type=Path, help="CSV with columns kode,nama,level (e.g. wilayah_2023.csv)")

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"berkas tidak ditemukan: {file}")
        try:
            total = len(read_rows(file.read_bytes()))
            with self.progress(total, "wilayah") as bar:
                counts = import_regions(file, progress=bar.update)
        except RegionFileError as exc:
            raise CommandError(f"{file}: {exc}. Tidak ada yang diubah.") from None
        data = counts.as_dict()
        lines = [f"{'tingkat':<10} {'baru':>8} {'diubah':>8} {'tetap':>8}"]
        for level in ("provinsi", "kabkota", "kecamatan", "kelurahan"):
            lines.append(f"{level:<10} {data['created'][level]:>8} {data['updated'][level]:>8} "
                         f"{data['unchanged'][level]:>8}")
        self.emit(data, "\n".join(lines))
