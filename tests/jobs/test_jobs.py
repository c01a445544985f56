"""The job queue: in-process by default, a real Celery worker on Redis when a broker is set."""

import json
import os
import signal
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

from kawaltps.jobs.models import Job
from kawaltps.jobs.services import Progress, enqueue, job_task
from tests.results.server import database_url


@job_task("tests.fails")
def _fails(progress: Progress) -> dict:
    raise ValueError("berkas rusak di baris 3")


@pytest.mark.django_db
def test_in_process_job_runs_and_records_progress():
    from kawaltps.jobs.tasks import ping

    job = enqueue(ping, steps=4)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.result) == ("done", 4, 4, {"pong": 4})
    assert job.started_at and job.finished_at


@pytest.mark.django_db
def test_a_failing_job_is_marked_failed_with_its_reason():
    job = enqueue(_fails)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.message == "berkas rusak di baris 3"


@pytest.mark.django_db
def test_jobs_command_lists_and_pings(capsys):
    call_command("jobs", "--ping", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is True and out["mode"] == "in-process"
    call_command("jobs", "--json")
    jobs = json.loads(capsys.readouterr().out)["jobs"]
    assert [j["kind"] for j in jobs] == ["jobs.ping"]


RUNS: list[int] = []


@job_task("tests.counts")
def _counts(progress: Progress, n: int) -> dict:
    RUNS.append(n)
    return {"n": n}


@pytest.mark.django_db
def test_a_task_delivered_again_after_its_job_is_done_does_not_run_again():
    from kawaltps.jobs.services import send

    RUNS.clear()
    job = enqueue(_counts, n=7)
    send(_counts, job, n=7)  # the broker gives the message back, or the sweeper sent it again
    job.refresh_from_db()
    assert RUNS == [7] and job.status == "done" and job.result == {"n": 7}
    Job.objects.filter(pk=job.pk).update(status="failed")  # a failed job is not done: it runs again
    send(_counts, job, n=7)
    assert RUNS == [7, 7] and Job.objects.get(pk=job.pk).status == "done"


@pytest.mark.django_db
def test_jobs_sweep_command_runs_every_registered_sweep(capsys):
    call_command("jobs", "--sweep", "--json")
    out = json.loads(capsys.readouterr().out)["sweep"]
    assert out == {"results.verify_photo": {"resent": 0, "given_up": 0},
                   "results.verify_photo.arrived": {"started": 0},
                   "evidence.verify_upload": {"resent": 0, "given_up": 0}}
    call_command("jobs", "--sweep")
    text = capsys.readouterr().out
    assert "results.verify_photo.arrived: pemeriksaan dimulai 0" in text
    assert "evidence.verify_upload: dikirim ulang 0, dihentikan 0" in text


def test_worker_command_refuses_without_a_broker():
    from django.core.management.base import CommandError

    if settings.CELERY_BROKER_URL:
        pytest.skip("a broker is configured in this environment")
    with pytest.raises(CommandError, match="KAWALTPS_BROKER_URL"):
        call_command("worker")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_runs_the_job():
    """Two processes and a Redis broker: `kawaltps jobs --ping` waits until `kawaltps worker` ran it."""
    import redis

    broker = "redis://127.0.0.1:6379/14"
    try:
        redis.Redis.from_url(broker).ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    redis.Redis.from_url(broker).flushdb()
    env = {**os.environ, "DATABASE_URL": database_url(), "KAWALTPS_DATA_DIR": str(settings.DATA_DIR),
           "KAWALTPS_BROKER_URL": broker, "DJANGO_SETTINGS_MODULE": "kawaltps.settings"}
    cli = [sys.executable, "-m", "kawaltps.cli"]
    worker = subprocess.Popen([*cli, "worker"], env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        done = subprocess.run([*cli, "jobs", "--ping", "--json", "--timeout", "60"], env=env,
                              capture_output=True, text=True, timeout=90)
        out = json.loads(done.stdout)
        assert out.get("ok") is True, out
        assert out["mode"] == "broker"
        assert Job.objects.get(pk=out["job"]["id"]).status == "done"
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
