"""Jobs held by a dead worker come back within minutes, not after the broker's visibility timeout.

Celery on Redis acknowledges late (``CELERY_TASK_ACKS_LATE``): a worker killed mid-task leaves the
message in Redis's unacked set, and Redis gives it to another worker only after
``visibility_timeout`` (``KAWALTPS_BROKER_VISIBILITY_TIMEOUT``, 1 h: it must exceed the longest
job — a national import, a dossier — or that job would run twice at once). Two things shorten it
for the short idempotent jobs (the photo check, the one that matters on election day):

- ``redeliver_on_worker_lost`` (``jobs.services.job_task``): a killed *pool process* gives its
  message back at once (the worker's main process sees it die);
- the **sweeper** (this module), for a killed *worker* (its main process too: a lost machine,
  ``kill -9`` of the container): every ``JOB_SWEEP_SECONDS`` each ``kawaltps worker`` runs the
  registered sweeps, which send again the tasks of unfinished jobs last sent (or started) more than
  ``JOB_REDELIVER_AFTER`` seconds ago (``KAWALTPS_JOB_REDELIVER_AFTER``, default 120 s) if they
  were running, ``JOB_REQUEUE_QUEUED_FACTOR`` (5) times that if still queued (a backlog is not a
  dead worker).

Rules: a sweep claims a job by one conditional UPDATE of its ``sent_at`` (N workers sweeping at
once send it once); only idempotent jobs register a sweep (sending again one that is still queued
or running changes nothing; the original message, given back after the visibility timeout, finds
the job done and returns); a job that was *running* when it went stale counts a resend, and after
``JOB_MAX_RESENDS`` of them the sweep gives up on it (a photo that kills its worker every time is
then refused with a reason instead of looping). ``kawaltps jobs --sweep`` runs the sweeps once.
"""

import datetime
import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from .models import Job

log = logging.getLogger(__name__)

UNFINISHED = (Job.Status.QUEUED, Job.Status.RUNNING)

#: name → sweep(cutoff) -> counts ({"resent": n, "given_up": n} for a resend sweep, {"started": n} for the
#: arrived-upload sweep); registered by the apps' task modules
SWEEPS: dict[str, Callable[[datetime.datetime], dict]] = {}


def sweep_for(name: str) -> Callable:
    """Register ``func(cutoff) -> dict`` as the sweep of one idempotent job kind."""

    def register(func: Callable) -> Callable:
        SWEEPS[name] = func
        return func

    return register


def queued_cutoff(cutoff: datetime.datetime) -> datetime.datetime:
    """A *queued* job is stale only ``JOB_REQUEUE_QUEUED_FACTOR`` times later than a running one: it
    may just be waiting in a backlog, where each extra message costs a worker one indexed read."""
    return timezone.now() - (timezone.now() - cutoff) * settings.JOB_REQUEUE_QUEUED_FACTOR


def _sent_before(cutoff: datetime.datetime, p: str) -> Q:
    return Q(**{f"{p}sent_at__lt": cutoff}) | Q(**{f"{p}sent_at__isnull": True, f"{p}created_at__lt": cutoff})


def stale_q(cutoff: datetime.datetime, prefix: str = "") -> Q:
    """Unfinished jobs gone stale: running, started and last sent (``sent_at``, else ``created_at``)
    before ``cutoff``; or queued and last sent before :func:`queued_cutoff`."""
    p = prefix
    running = (Q(**{f"{p}status": Job.Status.RUNNING}) & _sent_before(cutoff, p)
               & (Q(**{f"{p}started_at__isnull": True}) | Q(**{f"{p}started_at__lt": cutoff})))
    queued = Q(**{f"{p}status": Job.Status.QUEUED}) & _sent_before(queued_cutoff(cutoff), p)
    return running | queued


def claim(job_id, cutoff: datetime.datetime) -> Job | None:
    """Take the stale job ``job_id`` for one resend (``None`` if another sweeper took it, or it moved
    on). A job that was running counts a resend; one that was queued does not (it never ran)."""
    now = timezone.now()
    rows: QuerySet = Job.objects.filter(stale_q(cutoff), pk=job_id)
    if rows.filter(status=Job.Status.RUNNING).update(sent_at=now, resends=F("resends") + 1):
        return Job.objects.get(pk=job_id)
    if rows.filter(status=Job.Status.QUEUED).update(sent_at=now):
        return Job.objects.get(pk=job_id)
    return None


def resend_stale(pending: QuerySet, task, cutoff: datetime.datetime, limit: int,
                 give_up: Callable[[object, int], str]) -> dict:
    """The one sweep of a check over its uploads: every row of ``pending`` (uploads still waiting,
    with a ``job``) whose job went stale before ``cutoff`` is claimed (:func:`claim`) and its task
    sent again with ``upload_id``; after ``JOB_MAX_RESENDS`` resends of a running check,
    ``give_up(upload_id, resends)`` refuses the upload and returns the reason the job fails with."""
    from .services import send

    rows = (pending.filter(stale_q(cutoff, prefix="job__")).order_by("created_at")
            .values_list("pk", "job_id")[:limit])
    resent = given_up = 0
    for upload_id, job_id in rows:
        job = claim(job_id, cutoff)
        if job is None:
            continue
        if job.resends > settings.JOB_MAX_RESENDS:
            reason = give_up(upload_id, job.resends)
            Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, message=reason, finished_at=timezone.now())
            given_up += 1
            continue
        send(task, job, upload_id=str(upload_id))
        resent += 1
    return {"resent": resent, "given_up": given_up}


def redeliver_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOB_REDELIVER_AFTER)


def sweep() -> dict:
    """Run every registered sweep once; returns ``{name: {"resent": n, "given_up": n}}``."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")  # the apps' task modules register their sweeps
    cutoff = timezone.now() - redeliver_after()
    return {name: func(cutoff) for name, func in SWEEPS.items()}


def run_forever(interval: float, stop: threading.Event) -> None:
    """Sweep every ``interval`` seconds until ``stop`` is set; an error is logged, never fatal.

    The thread's database connection is closed after each sweep: a pool process forked meanwhile
    (the prefork pool replaces a dead one) then inherits no open connection of this thread."""
    while not stop.wait(interval):
        try:
            counts = sweep()
            if any(c.get("resent") or c.get("given_up") for c in counts.values()):
                log.warning("redelivery sweep: %s", counts)
        except Exception:  # noqa: BLE001 - the database may be restarting; try again next round
            log.exception("redelivery sweep failed")
        finally:
            connections.close_all()


def start(interval: float | None = None) -> threading.Event:
    """Start the sweeper thread of this process; set the returned event to stop it."""
    stop = threading.Event()
    interval = settings.JOB_SWEEP_SECONDS if interval is None else interval
    threading.Thread(target=run_forever, args=(interval, stop), name="kawaltps-redelivery", daemon=True).start()
    return stop
