"""``kawaltps restore FILE``: check a backup completely, then put it back (``core.backup``)."""

import sys
from pathlib import Path

from django.core.management.base import CommandError

from kawaltps.core import backup
from kawaltps.core.commands import JsonCommand


class Command(JsonCommand):
    help = ("Restore a backup made by `kawaltps backup`: every part is checked first, and a damaged "
            "or foreign file is refused without changing anything. Memulihkan dari berkas cadangan.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", type=Path, metavar="FILE", help="the backup file (.tar.gz) to restore")
        parser.add_argument("--yes", action="store_true",
                            help="do not ask; REPLACES the whole database and media of this installation")

    def handle(self, *args, file: Path, yes: bool, **options):
        if not yes and sys.stdin.isatty():
            answer = input(f"Seluruh basis data dan berkas media akan DIGANTI dengan isi {file}. Lanjut? [y/N] ")
            if answer.strip().lower() not in {"y", "ya", "yes"}:
                raise CommandError("dibatalkan; tidak ada yang diubah")
        print(f"memeriksa dan memulihkan {file} …", file=sys.stderr)
        try:
            report = backup.restore(file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.emit(report, f"Dipulihkan dari {file} (dibuat {report['created_at']}): {report['tables']} tabel, "
                          f"{report['rows']} baris, {report['media_files']} berkas media; ujung audit "
                          f"{report['audit_head']['seq']}:{report['audit_head']['hash']}")
