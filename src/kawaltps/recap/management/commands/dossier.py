from pathlib import Path

from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.recap import dossier
from kawaltps.recap.cli import election_or_error
from kawaltps.recap.models import Discrepancy
from kawaltps.regions.models import TPS, Region


class Command(JsonCommand):
    help = (
        "Write an evidence dossier (ZIP: PDF summary, original photos, Sirekap versions, history, timeline, "
        "manifest with SHA-256) for a TPS, a region or a discrepancy into DIR."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--election", required=True, help="election slug")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--tps", help="13-digit TPS code")
        group.add_argument("--region", help="region code (kecamatan, kab/kota, provinsi)")
        group.add_argument("--discrepancy", type=int, help="id of a discrepancy")
        parser.add_argument("--out", required=True, type=Path, help="directory to write the ZIP into")
        parser.add_argument("--queue", action="store_true",
                            help="build it as a background job (kawaltps worker); prints the job id")

    def handle(self, *args, election: str, tps, region, discrepancy, out: Path, **options):
        e = election_or_error(election)
        if tps:
            code = tps.replace(".", "")
            if not TPS.objects.filter(election=e, code=code).exists():
                raise CommandError(f"TPS {code} tidak ada dalam pemilihan {e.slug}")
            subject = dossier.subject_for_tps(e, code)
        elif region:
            code = region.replace(".", "")
            if not Region.objects.filter(code=code).exists():
                raise CommandError(f"wilayah {code} tidak dikenal")
            subject = dossier.subject_for_region(e, code)
        else:
            d = Discrepancy.objects.filter(election=e, pk=discrepancy).first()
            if d is None:
                raise CommandError(f"selisih #{discrepancy} tidak ada (jalankan: kawaltps discrepancies)")
            subject = dossier.subject_for_discrepancy(d)
        if options.get("queue"):
            from kawaltps.jobs.services import enqueue
            from kawaltps.recap.tasks import dossier_job

            kind = "tps" if tps else "region" if region else "discrepancy"
            target = str(discrepancy) if kind == "discrepancy" else code
            job = enqueue(dossier_job, election_id=e.pk, kind=kind, target=target, out=str(out.resolve()))
            job.refresh_from_db()
            self.emit({"job": str(job.pk), "status": job.status, "message": job.message, "result": job.result},
                      f"tugas {job.pk}: {job.get_status_display()}")
            return
        data, manifest_hash = dossier.build(subject)
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"berkas-bukti-{e.slug}-{subject.code}.zip"
        path.write_bytes(data)
        self.emit(
            {
                "path": str(path),
                "manifest_sha256": manifest_hash,
                "size": len(data),
                "zip_sha256": dossier.sha256(data),
            },
            f"{path}\nmanifest_sha256: {manifest_hash}\n(catat hash ini di laporan Anda)",
        )
