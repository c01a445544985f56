import re

from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.recap import fetcher
from kawaltps.recap.cli import election_or_error
from kawaltps.recap.models import FetchItem


def parse_rate(value: str) -> float:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:/s)?\s*", value)
    if not m or float(m.group(1)) <= 0:
        raise CommandError(f"laju tidak sah: {value!r} (contoh: 2/s)")
    return float(m.group(1))


class Command(JsonCommand):
    help = (
        "Fetch an election's Sirekap pages (every TPS, and the provinsi/kabkota/kecamatan aggregates) "
        "politely from BASE-URL (rate limit, retries with backoff); --resume continues an interrupted fetch."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--election", required=True, help="election slug")
        parser.add_argument(
            "--base-url",
            required=True,
            help="e.g. https://sirekappilkada-obj-data.kpu.go.id (paths pilkada/hhcw/pkwkp/...)",
        )
        parser.add_argument("--rate", default="2/s", help="requests per second, e.g. 2/s (default)")
        parser.add_argument("--resume", action="store_true", help="continue the last unfinished fetch")
        parser.add_argument("--retries", type=int, default=4, help="tries per page before giving up (default 4)")
        parser.add_argument("--queue", action="store_true",
                            help="run as a background job (kawaltps worker); print the job id")

    def handle(self, *args, election: str, base_url: str, rate: str, resume: bool, retries: int, **options):
        e = election_or_error(election)
        if not base_url.startswith(("http://", "https://")):
            raise CommandError(f"URL dasar tidak sah: {base_url!r}")
        r = parse_rate(rate)
        if options.get("queue"):
            from kawaltps.jobs.services import enqueue
            from kawaltps.recap.tasks import fetch_sirekap_job

            queued = enqueue(fetch_sirekap_job, election_id=e.pk, base_url=base_url, rate=r, resume=resume,
                             retries=retries)
            queued.refresh_from_db()
            self.emit({"job": str(queued.pk), "status": queued.status, "message": queued.message},
                      f"tugas {queued.pk}: {queued.get_status_display()}")
            return
        job = fetcher.start_job(e, base_url, rate=r, resume=resume)
        todo = job.items.exclude(state=FetchItem.State.DONE).count()
        with self.progress(todo, "halaman") as bar:
            report = fetcher.run(e, base_url, rate=r, resume=True, retries=retries, on_progress=bar.update)
        data = report.as_dict()
        lines = [f"diambil: {data['fetched']}, sisa: {data['remaining']}, status: {data['statuses']}"]
        lines += [f"GAGAL {f['code']}: {f['reason']}" for f in data["failed"]]
        lines += [f"CATATAN {f['code']}: {f['reason']}" for f in data["notes"]]
        self.emit(data, "\n".join(lines))
