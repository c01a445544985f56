"""Start a job, report its progress, mark it finished.

A task that reports progress is written as ``@job_task("kind")`` over a function whose first
argument is a :class:`Progress`; callers start it with :func:`enqueue`::

    @job_task("mandates.bulk")
    def render_bulk(progress: Progress, region: str) -> dict:
        progress.total(n); ...; progress.advance(); ...; return {"file": name}

    job = enqueue(render_bulk, region="317508", user=request.user)

Rules: the ``Job`` row is committed before the task is sent (a worker never looks for a row that
does not exist yet); a task that raises marks its job ``failed`` with the message (never a
traceback shown to a user); progress writes are throttled to one per 0.5 s; a task delivered again
after its job is ``done`` (the broker gave back a message whose worker was killed after the work, or
the sweeper sent it again, ``jobs/redelivery.py``) returns the stored result without running.
"""

import functools
import time
from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Job


class Progress:
    """Progress of one job, written to its row at most twice a second."""

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        self._done = 0
        self._total = 0
        self._written = 0.0

    def total(self, n: int) -> None:
        self._total = n
        Job.objects.filter(pk=self.job_id).update(total=n)

    def advance(self, n: int = 1, message: str | None = None) -> None:
        self._done += n
        now = time.monotonic()
        if message is not None or now - self._written >= 0.5 or self._done >= self._total:
            fields: dict[str, Any] = {"done": self._done}
            if message is not None:
                fields["message"] = message
            Job.objects.filter(pk=self.job_id).update(**fields)
            self._written = now


def job_task(kind: str, redeliver_on_worker_lost: bool = False) -> Callable:
    """Turn ``func(progress, **kwargs) -> dict`` into a Celery task that keeps its Job row current.

    ``redeliver_on_worker_lost``: when the pool process running it dies (SIGKILL, OOM killer) the
    message goes back to the queue at once instead of being acknowledged as failed; only for
    idempotent tasks whose input is bounded (a task that kills its process every time would loop:
    the photo check has the pixel bound, and the sweeper refuses after ``JOB_MAX_RESENDS``)."""

    def wrap(func: Callable) -> Any:
        @shared_task(name=f"kawaltps.{kind}", reject_on_worker_lost=redeliver_on_worker_lost or None)
        @functools.wraps(func)
        def run(job_id: str, **kwargs: Any) -> dict:
            done = Job.objects.filter(pk=job_id, status=Job.Status.DONE).values_list("result", flat=True).first()
            if done is not None:  # delivered again after the work was done: nothing to do
                return done
            Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, started_at=timezone.now())
            try:
                result = func(Progress(job_id), **kwargs) or {}
            except Exception as exc:  # the job's row carries the reason; the worker logs the traceback
                Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, message=str(exc)[:2000],
                                                     finished_at=timezone.now())
                raise
            Job.objects.filter(pk=job_id).update(status=Job.Status.DONE, result=result,
                                                 finished_at=timezone.now())
            return result

        run.kind = kind
        return run

    return wrap


def enqueue(task: Any, user=None, **kwargs: Any) -> Job:
    """Create the job's row, then send the task once the row is committed. Returns the row.

    In eager mode (no broker configured) the task has run by the time this returns.
    """
    job = Job.objects.create(kind=task.kind, created_by=user if getattr(user, "pk", None) else None)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        send(task, job, **kwargs)
    else:
        transaction.on_commit(lambda: send(task, job, **kwargs))
    return job


def send(task: Any, job: Job, **kwargs: Any) -> None:
    """Run ``task`` for the job row ``job`` (committed already, or in the caller's transaction in
    eager mode): sent to the broker, or in-process without one (same connection, so it sees the
    row; a failure is recorded on the row by the task itself, ``apply()`` does not re-raise)."""
    kwargs = {"job_id": str(job.pk), **kwargs}
    if settings.CELERY_TASK_ALWAYS_EAGER:
        task.apply(kwargs=kwargs, task_id=str(job.pk))
    else:
        task.apply_async(kwargs=kwargs, task_id=str(job.pk))
