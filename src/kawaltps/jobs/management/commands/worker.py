"""``kawaltps worker``: run a Celery worker for the background jobs."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Run a worker for background jobs (bulk imports, mandate PDFs). Needs KAWALTPS_BROKER_URL "
            "(redis:// or amqp://); without it jobs run inside the web process and no worker is needed. "
            "Each worker also sends again the photo checks a killed worker left unfinished "
            "(after KAWALTPS_JOB_REDELIVER_AFTER seconds, default 120).")

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=1, help="processes (default 1)")
        parser.add_argument("--queues", default="celery", help="comma-separated queue names")
        parser.add_argument("--no-sweep", action="store_true",
                            help="do not run the redelivery sweeper (jobs/redelivery.py) in this worker")

    def handle(self, *args, **opts):
        if not settings.CELERY_BROKER_URL:
            raise CommandError("KAWALTPS_BROKER_URL belum diatur: tanpa broker, tugas berjalan di proses web.")
        from kawaltps.jobs.celery import app

        if not opts["no_sweep"]:
            from celery.signals import worker_ready

            from kawaltps.jobs import redelivery

            # after the pool has forked its processes: the sweeper thread lives in the main process only
            worker_ready.connect(lambda **_: redelivery.start(), weak=False)
        app.worker_main(["worker", "--loglevel=INFO", f"--concurrency={opts['concurrency']}",
                         f"--queues={opts['queues']}", "--pool=prefork"])
