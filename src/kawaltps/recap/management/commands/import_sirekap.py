from pathlib import Path

from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.recap.cli import election_or_error
from kawaltps.recap.importer import expand, import_files


class Command(JsonCommand):
    help = (
        "Import downloaded Sirekap pages (TPS pages and region aggregates, presidential or Pilkada shape): "
        "files or directories laid out as the site's paths. Every distinct version is kept as a snapshot; "
        "the newest numbers become the official TPS result. Bad files are reported, the rest import."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--election", required=True, help="slug of the election")
        parser.add_argument("paths", nargs="+", type=Path, help="downloaded Sirekap JSON files or folders")

    def handle(self, *args, election: str, paths: list[Path], **options):
        e = election_or_error(election)
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise CommandError(f"berkas/direktori tidak ditemukan: {', '.join(missing)}")
        total = len(expand(paths))
        with self.progress(total, "berkas") as bar:
            report = import_files(e, paths, on_progress=bar.update)
        data = report.as_dict()
        lines = [f"{k}: {v}" for k, v in sorted(data["counts"].items())]
        lines += [f"GAGAL {f['file']}: {f['reason']}" for f in data["errors"]]
        lines += [f"CATATAN {f['file']}: {f['reason']}" for f in data["notes"]]
        lines += [f"BERUBAH setelah terbit: TPS {f['code']} ({f['file']})" for f in data["changed"]]
        if not data["tallies_rebuilt"]:
            lines.append("Catatan: tally wilayah resmi belum dibangun ulang (results.tabulation belum tersedia).")
        self.emit(data, "\n".join(lines))
