"""``kawaltps backup --out FILE``: the database, the media and the audit chain in one file (``core.backup``)."""

import sys
from pathlib import Path

from django.core.management.base import CommandError

from kawaltps.core import backup
from kawaltps.core.commands import JsonCommand


class Command(JsonCommand):
    help = ("Write a backup (database, media files, audit chain) to one .tar.gz file that "
            "`kawaltps restore` checks and restores. Membuat berkas cadangan.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--out", required=True, type=Path, metavar="FILE",
                            help="the backup file to write (mode 0600; e.g. kawaltps-2024-11-27.tar.gz)")

    def handle(self, *args, out: Path, **options):
        print(f"membuat cadangan ke {out} …", file=sys.stderr)
        bar = self.progress(None, "berkas media")
        try:
            manifest = backup.backup(out, progress=lambda _name: bar.update(1))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        summary = {"out": str(out), "vendor": manifest["vendor"], "tables": len(manifest["tables"]),
                   "rows": sum(manifest["tables"].values()), "media_files": len(manifest["members"]) - 1,
                   "audit_head": manifest["audit_head"]}
        self.emit(summary, f"Cadangan tersimpan: {out} ({summary['tables']} tabel, {summary['rows']} baris, "
                           f"{summary['media_files']} berkas media; ujung audit "
                           f"{summary['audit_head']['seq']}:{summary['audit_head']['hash']})")
