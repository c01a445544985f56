"""``kawaltps jobs``: the latest background jobs, or ``--ping`` to prove the queue works end to end."""

import time

from django.conf import settings
from django.core.management.base import CommandError

from kawaltps.core.commands import JsonCommand
from kawaltps.jobs.models import Job


def _row(job: Job) -> dict:
    return {"id": str(job.pk), "kind": job.kind, "status": job.status, "done": job.done, "total": job.total,
            "message": job.message, "created_at": job.created_at.isoformat(), "result": job.result}


#: what a sweep's counts mean, in the user's words (``redelivery.SWEEPS``)
SWEEP_WORDS = {"resent": "dikirim ulang", "given_up": "dihentikan", "started": "pemeriksaan dimulai"}


class Command(JsonCommand):
    help = "List the latest background jobs (--limit N), or --ping: send a job and wait for a worker to run it."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--limit", type=int, default=20, help="how many of the latest jobs (default 20)")
        parser.add_argument("--ping", action="store_true", help="send a test job and wait up to --timeout s")
        parser.add_argument("--sweep", action="store_true",
                            help="send again, once, the idempotent jobs a killed worker left unfinished")
        parser.add_argument("--timeout", type=float, default=30.0, help="seconds --ping waits (default 30)")

    def handle(self, *args, **opts):
        if opts["sweep"]:
            from kawaltps.jobs import redelivery

            counts = redelivery.sweep()
            self.emit({"sweep": counts}, "\n".join(
                f"{k}: " + ", ".join(f"{SWEEP_WORDS.get(what, what)} {n}" for what, n in v.items())
                for k, v in counts.items()) or "tidak ada yang disapu")
            return
        if opts["ping"]:
            from kawaltps.jobs.services import enqueue
            from kawaltps.jobs.tasks import ping

            job = enqueue(ping, steps=3)
            deadline = time.monotonic() + opts["timeout"]
            while time.monotonic() < deadline:
                job.refresh_from_db()
                if job.status in (Job.Status.DONE, Job.Status.FAILED):
                    break
                time.sleep(0.2)
            mode = "broker" if settings.CELERY_BROKER_URL else "in-process"
            if job.status != Job.Status.DONE:
                raise CommandError(f"tugas uji tidak selesai dalam {opts['timeout']:.0f} detik "
                                   f"(status: {job.get_status_display()}); apakah `kawaltps worker` berjalan?")
            self.emit({"ok": True, "mode": mode, "job": _row(job)}, f"antrean tugas bekerja ({mode})")
            return
        limit = max(1, min(opts["limit"], 1000))
        rows = [_row(j) for j in Job.objects.all()[:limit]]
        text = "\n".join(f"{r['created_at'][:19]}  {r['kind']:<24} {r['status']:<8} {r['done']}/{r['total']}  "
                         f"{r['message'][:60]}" for r in rows) or "belum ada tugas"
        self.emit({"jobs": rows}, text)
