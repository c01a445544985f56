"""A photo check whose worker is SIGKILLed mid-job is finished within ``JOB_REDELIVER_AFTER``, not
after Redis's visibility timeout (1 h), and exactly once in effect (``jobs/redelivery.py``).

Real parts: Redis at ``REDIS_URL`` (its queue keys are cleared), ``kawaltps worker`` processes on
the test database (``tests/workers.py``), SeaweedFS. The worker is held mid-job by stopping SeaweedFS (SIGSTOP) while it
reads the photo: the job is ``running`` and its message unacknowledged when the worker is killed.
"""

import os
import signal
import uuid
from pathlib import Path

import httpx
import pytest

from kawaltps.jobs.models import Job
from kawaltps.results import uploads
from kawaltps.results.models import Photo, PhotoHash, PhotoUpload
from tests.workers import wait_for

from .conftest import make_jpeg

TPS = "3175081001001"

pytestmark = pytest.mark.django_db(transaction=True)


def uploaded(user, election) -> PhotoUpload:
    """A photo presigned and PUT to SeaweedFS, not yet said done."""
    upload, signed = uploads.presign(user, election, TPS, 1, f"foto-{uuid.uuid4().hex[:8]}")
    assert httpx.put(signed["url"], content=make_jpeg("TPS 001"), timeout=30).status_code == 200
    return upload


def hold_mid_job(seaweed_proc, user, upload: PhotoUpload) -> Job:
    """Stop SeaweedFS, say done: the worker takes the check and hangs reading the photo."""
    os.kill(seaweed_proc.pid, signal.SIGSTOP)
    uploads.finish(user, upload)
    job_id = PhotoUpload.objects.get(pk=upload.pk).job_id
    wait_for(lambda: Job.objects.filter(pk=job_id, status="running").exists(), "the worker starts the check")
    return Job.objects.get(pk=job_id)


def accepted(upload: PhotoUpload) -> bool:
    return PhotoUpload.objects.filter(pk=upload.pk, status="accepted").exists()


def test_a_check_whose_worker_was_killed_is_sent_again_by_the_sweeper(users, small_election, s3_storage, redis_broker,
                                                                     job_workers, seaweedfs_process):
    weed = seaweedfs_process[0]
    saksi = users["saksi"]
    upload = uploaded(saksi, small_election)
    first = job_workers.start("--concurrency", "1", "--no-sweep")
    job = hold_mid_job(weed, saksi, upload)
    job_workers.kill(first)  # the whole worker, main process and pool: as a lost machine
    os.kill(weed.pid, signal.SIGCONT)
    assert redis_broker.hlen("unacked") == 1  # Redis holds the message for its visibility timeout (1 h)
    assert PhotoUpload.objects.get(pk=upload.pk).status == "pending"
    # another worker (visibility timeout 1 h as deployed): only its sweeper can give the check back
    second = job_workers.start("--concurrency", "1", KAWALTPS_JOB_REDELIVER_AFTER="2", KAWALTPS_JOB_SWEEP_SECONDS="1")
    wait_for(lambda: accepted(upload), "the photo is accepted after the sweeper sent its check again")
    job.refresh_from_db()
    assert job.status == "done" and job.resends == 1 and job.sent_at is not None
    assert redis_broker.hlen("unacked") == 1  # the original delivery is still held by Redis
    job_workers.kill(second, signal.SIGTERM)
    # the original message comes back (visibility timeout 1 s here) and changes nothing
    job_workers.start("--concurrency", "1", "--no-sweep", KAWALTPS_BROKER_VISIBILITY_TIMEOUT="1")
    wait_for(lambda: redis_broker.hlen("unacked") == 0 and redis_broker.llen("celery") == 0,
             "the original delivery is given back and acknowledged")
    upload.refresh_from_db()
    assert upload.status == "accepted" and Photo.objects.count() == 1
    assert PhotoHash.objects.count() == 1 and Job.objects.count() == 1
    job.refresh_from_db()
    assert job.status == "done" and job.resends == 1


def test_a_killed_pool_process_gives_its_check_back_at_once(users, small_election, s3_storage, redis_broker,
                                                           job_workers, seaweedfs_process):
    weed = seaweedfs_process[0]
    saksi = users["saksi"]
    upload = uploaded(saksi, small_election)
    worker = job_workers.start("--concurrency", "1", "--no-sweep")  # no sweeper: only the pool can redeliver
    hold_mid_job(weed, saksi, upload)
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    assert len(children) == 1
    os.kill(int(children[0]), signal.SIGKILL)  # the pool process running the check (as the OOM killer)
    os.kill(weed.pid, signal.SIGCONT)
    wait_for(lambda: accepted(upload), "the photo is accepted after the check was given back")
    assert Photo.objects.count() == 1 and PhotoHash.objects.count() == 1
    job = Job.objects.get()
    assert job.status == "done" and job.resends == 0
    wait_for(lambda: redis_broker.hlen("unacked") == 0, "the redelivered message is acknowledged")


def test_a_check_that_kills_its_worker_every_time_is_refused(users, small_election, s3_storage, redis_broker,
                                                            settings):
    """No worker here: the sweeps run in this process over a job left running by a dead worker."""
    import datetime

    from django.utils import timezone

    from kawaltps.jobs import redelivery

    saksi = users["saksi"]
    upload = uploaded(saksi, small_election)
    uploads.finish(saksi, upload)
    job = Job.objects.get(pk=PhotoUpload.objects.get(pk=upload.pk).job_id)
    redis_broker.delete("celery")
    settings.JOB_MAX_RESENDS = 2
    for n in range(3):
        past = timezone.now() - datetime.timedelta(hours=1)
        Job.objects.filter(pk=job.pk).update(status="running", started_at=past, sent_at=past)
        got = redelivery.sweep()["results.verify_photo"]
        assert got == ({"resent": 1, "given_up": 0} if n < 2 else {"resent": 0, "given_up": 1})
        assert redelivery.sweep()["results.verify_photo"] == {"resent": 0, "given_up": 0}  # claimed: once
    assert redis_broker.llen("celery") == 2
    upload.refresh_from_db()
    job.refresh_from_db()
    assert upload.status == "refused" and "terhenti 3 kali" in upload.reason and not Photo.objects.exists()
    assert job.status == "failed" and job.resends == 3


def test_a_queued_check_is_sent_again_only_after_the_longer_bound(users, small_election, s3_storage, redis_broker,
                                                                 settings):
    """A job still queued may be waiting in a backlog: swept after 5 × the bound, never counted."""
    import datetime

    from django.utils import timezone

    from kawaltps.jobs import redelivery

    saksi = users["saksi"]
    upload = uploaded(saksi, small_election)
    uploads.finish(saksi, upload)
    job = Job.objects.get(pk=PhotoUpload.objects.get(pk=upload.pk).job_id)
    assert redis_broker.llen("celery") == 1
    bound = datetime.timedelta(seconds=settings.JOB_REDELIVER_AFTER)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - 2 * bound)  # stale if it were running
    assert redelivery.sweep()["results.verify_photo"] == {"resent": 0, "given_up": 0}
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - 6 * bound)
    assert redelivery.sweep()["results.verify_photo"] == {"resent": 1, "given_up": 0}
    assert redelivery.sweep()["results.verify_photo"] == {"resent": 0, "given_up": 0}
    job.refresh_from_db()
    assert redis_broker.llen("celery") == 2 and job.status == "queued" and job.resends == 0 and job.sent_at
