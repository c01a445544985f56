import importlib
import importlib.util
import os
import shutil
import sys
from types import SimpleNamespace

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Set up the demo election (Jakarta 2024) in the local database and serve it on http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="set up and exit")
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, no_serve: bool, bind: str, workers: int, **options):
        db = settings.DATABASES["default"]
        self.stdout.write(f"Basis data: {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        ctx = SimpleNamespace(election=None, stdout=self.stdout)
        summary: list[str] = []
        for step in settings.DEMO_STEPS:
            if step.rsplit(".", 1)[0] not in settings.INSTALLED_APPS or importlib.util.find_spec(step) is None:
                continue  # capability not installed (yet)
            module = importlib.import_module(step)
            self.stdout.write(f"… {step.split('.')[-2]}")
            summary += module.populate(ctx)
        self.stdout.write("\n".join(summary))
        if no_serve:
            return
        gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
        if not os.path.exists(gunicorn):
            raise CommandError("gunicorn tidak ditemukan; pasang dengan: pip install -e .")
        self.stdout.write(f"\nKawal TPS berjalan di http://{bind}/  (Ctrl+C untuk berhenti)")
        self.stdout.flush()
        os.execv(gunicorn, gunicorn_argv(gunicorn, bind, workers))


def gunicorn_argv(gunicorn: str, bind: str, workers: int) -> list[str]:
    """gunicorn's command line: personal data blanked in its logs, no query strings in the access log."""
    from kawaltps.volunteers.logfilter import GUNICORN_ACCESS_FORMAT

    return [gunicorn, "kawaltps.wsgi", "--bind", bind, "--workers", str(workers), "--timeout", "120",
            "--access-logfile", "-", "--access-logformat", GUNICORN_ACCESS_FORMAT,
            "--logger-class", "kawaltps.volunteers.logfilter.GunicornLogger"]
