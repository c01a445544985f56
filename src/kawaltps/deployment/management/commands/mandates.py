"""`kawaltps mandates --election SLUG --region CODE --out DIR [--json]`: issue and print mandate letters."""

from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.core.formatting import number as angka
from kawaltps.deployment.tasks import render_mandates
from kawaltps.elections.models import Election
from kawaltps.jobs.models import Job
from kawaltps.jobs.services import enqueue
from kawaltps.regions.models import Region


class Command(JsonCommand):
    help = ("Issue the missing surat mandat of every saksi under a region and write one bulk PDF per kelurahan "
            "(or kecamatan) plus one PDF per saksi, as background jobs (one per kecamatan; in-process without "
            "a broker).")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--election", required=True, help="election slug")
        parser.add_argument("--region", required=True, help="kota, kecamatan or kelurahan code")
        parser.add_argument("--out", required=True, help="directory for the PDFs")
        parser.add_argument("--per", choices=["kelurahan", "kecamatan"], default="kelurahan",
                            help="one bulk PDF per kelurahan (default) or kecamatan")
        parser.add_argument("--no-singles", action="store_true", help="bulk PDFs only")
        parser.add_argument("--no-wait", action="store_true", help="with a broker: enqueue and return")

    def handle(self, *args, election, region, out, per, no_singles, no_wait, **opts):
        e = Election.objects.filter(slug=election).first()
        if e is None:
            raise CommandError(f"pemilihan {election!r} tidak ada")
        region = region.replace(".", "")
        if not Region.objects.filter(code=region).exists() or len(region) < 4:
            raise CommandError(f"wilayah {region!r} tidak dikenal (kota, kecamatan atau kelurahan)")
        parts = [region] if len(region) >= 6 else list(
            Region.objects.filter(code__startswith=region, level=3).values_list("code", flat=True))
        jobs = [enqueue(render_mandates, election_id=e.pk, region=p, out_dir=out,
                        group=10 if per == "kelurahan" else 6, singles=not no_singles) for p in parts]
        if not no_wait:
            import time

            bar = self.progress(None, "surat mandat")
            while True:
                rows = list(Job.objects.filter(pk__in=[j.pk for j in jobs]))
                bar.total = sum(j.total for j in rows) or None
                bar.n = sum(j.done for j in rows)
                bar.refresh()
                if all(j.status in (Job.Status.DONE, Job.Status.FAILED) for j in rows):
                    break
                time.sleep(0.5)
            bar.close()
        rows = list(Job.objects.filter(pk__in=[j.pk for j in jobs]))
        failed = [j.message for j in rows if j.status == Job.Status.FAILED]
        if failed:
            raise CommandError("; ".join(sorted(set(failed))))
        result = {"election": e.slug, "region": region, "out": out, "jobs": [str(j.pk) for j in rows],
                  "letters": sum((j.result or {}).get("letters", 0) for j in rows),
                  "files": sorted(f for j in rows for f in (j.result or {}).get("files", []))}
        self.emit(result, f"{angka(result['letters'])} surat mandat, {len(result['files'])} berkas gabungan di {out}")
