import importlib
import importlib.util
import os
import shutil
import socket
import sys
import time
from types import SimpleNamespace

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Set up the demo election (Jakarta 2024) in the local database and serve it on http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="set up and exit")
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address to serve on (default 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")

    def handle(self, *args, no_serve: bool, bind: str, workers: int, **options):
        if not no_serve:
            check_bind(bind)  # before minutes of setup, not after
        db = settings.DATABASES["default"]
        self.stdout.write(f"Basis data: {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}")
        steps = [s for s in settings.DEMO_STEPS
                 if s.rsplit(".", 1)[0] in settings.INSTALLED_APPS and importlib.util.find_spec(s) is not None]
        started = time.monotonic()
        self.stderr.write(f"[0/{len(steps)}] migrate …")
        call_command("migrate", interactive=False, verbosity=0)
        ctx = SimpleNamespace(election=None, stdout=self.stdout)
        summary: list[str] = []
        for i, step in enumerate(steps, 1):  # a step not installed (yet) is left out above
            module = importlib.import_module(step)
            self.stderr.write(f"[{i}/{len(steps)}] {step.split('.')[-2]} … ({time.monotonic() - started:.0f} s)")
            summary += module.populate(ctx)
        self.stderr.write(f"siap dalam {time.monotonic() - started:.0f} s")
        self.stdout.write("\n".join(summary))
        if no_serve:
            return
        check_bind(bind)
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


def check_bind(bind: str) -> None:
    """Refuse a HOST:PORT that is malformed or already taken, naming ``--bind`` (gunicorn would retry
    for a while and then print a traceback)."""
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise CommandError(f"--bind {bind}: tulis HOST:PORT, mis. --bind 127.0.0.1:8000")
    with socket.socket(socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host.strip("[]"), int(port)))
        except OSError as exc:
            raise CommandError(f"alamat {bind} sudah dipakai program lain atau tidak bisa dipakai ({exc.strerror}); "
                               f"pilih yang lain dengan --bind, mis. --bind {host}:{int(port) + 1}") from None
