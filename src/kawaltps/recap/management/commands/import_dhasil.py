from pathlib import Path

from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.recap.cli import election_or_error
from kawaltps.recap.dhasil import DHasilError, import_csv, parse_tier


class Command(JsonCommand):
    help = (
        "Import D.Hasil numbers of one tier from CSV: kode,paslon_1,...,paslon_N[,sah,tidak_sah] "
        "(see docs/recap.md). Bad rows are reported with their line; the rest are saved."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--election", required=True, help="election slug")
        parser.add_argument("--tier", required=True, help="kecamatan | kabkota | provinsi")
        parser.add_argument("file", type=Path, help="CSV of the D.Hasil numbers of one tier")

    def handle(self, *args, election: str, tier: str, file: Path, **options):
        e = election_or_error(election)
        try:
            t = parse_tier(tier)
        except DHasilError as exc:
            raise CommandError(str(exc)) from None
        if not file.is_file():
            raise CommandError(f"berkas tidak ditemukan: {file}")
        try:
            report = import_csv(e, t, file.read_bytes(), source=file.name)
        except DHasilError as exc:
            raise CommandError(f"{file}: {exc}. Tidak ada yang diubah.") from None
        data = report.as_dict()
        lines = [f"tersimpan: {data['saved']}, gagal: {len(data['errors'])}"]
        lines += [f"baris {x['line']} ({x['kode']}): {x['reason']}" for x in data["errors"]]
        self.emit(data, "\n".join(lines))
