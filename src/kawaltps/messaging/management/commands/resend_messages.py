"""``kawaltps resend-messages [--loop SECONDS] [--rounds N] [--json]``.

Sends again the messages that failed for a passing reason once their wait is over
(``kawaltps.messaging.senders.resend_due``: after 1, 2, 4, 8, 16 minutes, then given up). Once by
default; with ``--loop 60`` it is the production worker (any number of them: each message is
claimed by one of them).
"""

import signal
import time

from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.messaging.senders import resend_due


class Command(JsonCommand):
    help = ("Send again the WhatsApp, Telegram and SMS messages that failed for a passing reason "
            "(timeout, provider busy) once their wait is over. With --loop SECONDS it keeps running.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--loop", type=float, default=None, metavar="SECONDS",
                            help="repeat every SECONDS seconds until stopped")
        parser.add_argument("--rounds", type=int, default=None, help="stop after N rounds (with --loop)")

    def handle(self, *args, loop: float | None, rounds: int | None, **options):
        if loop is not None and loop <= 0:
            raise CommandError("--loop harus lebih dari 0 detik.")
        stop = {"now": False}
        if loop is not None:
            signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
        total = {"rounds": 0, "due": 0, "sent": 0, "failed": 0, "given_up": 0}
        try:
            while True:
                started = time.monotonic()
                for key, value in resend_due().items():
                    total[key] += value
                total["rounds"] += 1
                if loop is None or stop["now"] or (rounds is not None and total["rounds"] >= rounds):
                    break
                time.sleep(max(0.0, loop - (time.monotonic() - started)))
        except KeyboardInterrupt:
            pass
        self.emit(total, f"{total['due']} pesan dicoba lagi: {total['sent']} terkirim, {total['failed']} "
                         f"gagal lagi (dicoba nanti), {total['given_up']} dihentikan.")
