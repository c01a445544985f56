import sys
from pathlib import Path

from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.recap.dossier import verify


class Command(JsonCommand):
    help = "Verify an evidence dossier ZIP against its manifest (exit status 1 if anything changed)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("zip", type=Path)
        parser.add_argument("--manifest-sha256", help="the manifest hash noted in a report, to compare with")

    def handle(self, *args, zip: Path, manifest_sha256=None, **options):
        if not zip.is_file():
            raise CommandError(f"berkas tidak ditemukan: {zip}")
        result = verify(zip.read_bytes(), manifest_sha256)
        text = (
            f"UTUH: {result.files} berkas cocok dengan manifest {result.manifest_sha256}"
            if result.ok
            else "TIDAK UTUH:\n" + "\n".join(f"- {p}" for p in result.problems)
        )
        self.emit(result.as_dict(), text)
        if not result.ok:
            sys.exit(1)
