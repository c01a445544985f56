"""``kawaltps worker``: run a Celery worker for the background jobs."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Run a worker for background jobs (bulk imports, mandate PDFs). Needs KAWALTPS_BROKER_URL "
            "(redis:// or amqp://); without it jobs run inside the web process and no worker is needed.")

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=1, help="processes (default 1)")
        parser.add_argument("--queues", default="celery", help="comma-separated queue names")

    def handle(self, *args, **opts):
        if not settings.CELERY_BROKER_URL:
            raise CommandError("KAWALTPS_BROKER_URL belum diatur: tanpa broker, tugas berjalan di proses web.")
        from kawaltps.jobs.celery import app

        app.worker_main(["worker", "--loglevel=INFO", f"--concurrency={opts['concurrency']}",
                         f"--queues={opts['queues']}", "--pool=prefork"])
