"""``kawaltps fold-tallies [--election SLUG] [--loop SECONDS] [--rounds N] [--json]``.

Folds the pending ``TallyDelta`` rows (one per TPS change) into ``RegionTally``
(``kawaltps.results.tally.fold_pending``). Once by default; with ``--loop 1`` it is the production
worker that keeps every region total within a second of the submissions (stop it with SIGTERM or
Ctrl-C; ``--rounds`` bounds the loop, for scripts and tests).
"""

import signal
import time

from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.elections.models import Election
from kawaltps.results.tally import fold_pending


class Command(JsonCommand):
    help = ("Fold pending TPS result changes into the region totals (kelurahan up to provinsi). "
            "With --loop SECONDS it keeps running as the production worker.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--election", help="election slug (default: every election)")
        parser.add_argument("--loop", type=float, default=None, metavar="DETIK",
                            help="repeat every SECONDS seconds until stopped")
        parser.add_argument("--rounds", type=int, default=None, help="stop after N rounds (with --loop)")
        parser.add_argument("--queue", action="store_true",
                            help="send one round as a background job (kawaltps worker)")

    def handle(self, *args, election: str | None, loop: float | None, rounds: int | None, queue: bool = False,
               **options):
        target = None
        if election:
            target = Election.objects.filter(slug=election).first()
            if target is None:
                raise CommandError(f"Pemilihan {election!r} tidak ditemukan.")
        if queue:
            from kawaltps.jobs.services import enqueue
            from kawaltps.results.tasks import fold_tallies_job

            job = enqueue(fold_tallies_job, election_id=target.pk if target else None)
            job.refresh_from_db()
            self.emit({"job": str(job.pk), "status": job.status}, f"tugas {job.pk}: {job.get_status_display()}")
            return
        if loop is not None and loop <= 0:
            raise CommandError("--loop harus lebih dari 0 detik.")
        stop = {"now": False}
        if loop is not None:
            def _stop(*_):
                stop["now"] = True
            signal.signal(signal.SIGTERM, _stop)
        folded, done = 0, 0
        try:
            while True:
                started = time.monotonic()
                folded += fold_pending(target)
                done += 1
                if loop is None or stop["now"] or (rounds is not None and done >= rounds):
                    break
                time.sleep(max(0.0, loop - (time.monotonic() - started)))
                if stop["now"]:
                    break
        except KeyboardInterrupt:
            pass
        data = {"election": election, "rounds": done, "deltas_folded": folded}
        self.emit(data, f"{folded} perubahan dimasukkan ke total wilayah dalam {done} putaran.")
