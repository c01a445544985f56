"""``kawaltps import-results --election SLUG --format FMT [--source S] FILE [--json]``."""

import sys

from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.results.importers import FORMATS, import_file
from kawaltps.results.models import Source, State


class Command(JsonCommand):
    help = ("Load per-TPS results from a file (csv, kawalpemilu2019, sirekap-dki2024) into an election, "
            "creating the election and its paslon if new. Failing rows are reported, the rest load.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", help="results file (.csv or .csv.gz)")
        parser.add_argument("--election", required=True, help="election slug (created if new)")
        parser.add_argument("--format", required=True, choices=list(FORMATS), dest="fmt", help="layout of the file")
        parser.add_argument("--source", choices=Source.values, default=None,
                            help="source of the numbers in a single-source file: witness (saksi) or official (KPU)")
        parser.add_argument("--verified", action="store_true",
                            help="mark the loaded results as verified (default: entered)")
        parser.add_argument("--queue", action="store_true",
                            help="run as a background job (kawaltps worker); print the job id")

    def handle(self, *args, file: str, election: str, fmt: str, source: str | None, verified: bool,
               queue: bool = False, **options):
        if queue:
            from pathlib import Path

            from kawaltps.jobs.services import enqueue
            from kawaltps.results.tasks import import_results_job

            job = enqueue(import_results_job, fmt=fmt, slug=election, path=str(Path(file).resolve()), source=source,
                          state=State.VERIFIED if verified else State.ENTERED)
            job.refresh_from_db()
            self.emit({"job": str(job.pk), "status": job.status, "message": job.message},
                      f"tugas {job.pk}: {job.get_status_display()} (lihat /tugas/ atau kawaltps jobs)")
            return
        bar = self.progress(None, "memuat")
        try:
            report = import_file(fmt, election, file, source=source,
                                 state=State.VERIFIED if verified else State.ENTERED, progress=bar.update,
                                 stage=lambda msg: print(msg, file=sys.stderr, flush=True))
        except (ValueError, LookupError) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        data = {"election": election, "format": fmt, **report.as_dict()}
        lines = [f"Pemilihan {election}: {report.rows} baris dibaca, {report.tps_created} TPS baru, "
                 f"{report.regions_created} wilayah baru."]
        for s in Source.values:
            lines.append(f"  {s}: {report.loaded[s]} dimuat, {report.unchanged[s]} tidak berubah, "
                         f"{report.flagged[s]} ditandai")
        lines.append(f"  {len(report.rejected)} baris ditolak")
        for r in sorted(report.rejected, key=lambda r: r["row"])[:50]:
            lines.append(f"    baris {r['row']}: {r['reason']}")
        if len(report.rejected) > 50:
            lines.append(f"    … dan {len(report.rejected) - 50} lagi (pakai --json untuk semuanya)")
        self.emit(data, "\n".join(lines))
