"""The lean device path of direct uploads (``results/upload_fastpath.py``) with a real Redis broker:
``done`` queues one check and the photo stays pending until that job has run; asked again while
pending, the check is sent again but no second job is made; denials and an expired token.

PostgreSQL pass only for the short path (SQLite takes the ORM path, tested in
``test_direct_upload.py``); the broker is Redis at ``REDIS_URL`` (its own db: flushed).
"""

import datetime
import json
import os

import httpx
import pytest
from django.db import connection
from django.utils import timezone

from kawaltps.jobs.celery import app
from kawaltps.jobs.models import Job
from kawaltps.people.models import ApiToken
from kawaltps.results import upload_fastpath, uploads
from kawaltps.results.models import Photo, PhotoUpload, Submission

from .conftest import make_jpeg
from .test_direct_upload import TPS, auth, done, presign

pytestmark = pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                                reason="the short path is PostgreSQL's (SQLite: test_direct_upload.py)")


@pytest.fixture
def broker(settings):
    """Jobs go to a real Redis (not in-process): the queue's messages can be read."""
    import redis

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    r = redis.Redis.from_url(url)
    try:
        r.ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not running at {url}")
    r.delete("celery")
    old, eager = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    try:
        yield r
    finally:
        r.delete("celery")
        app.pool.force_close_all()
        app._pool = None
        app.conf.broker_url = old
        app.conf.task_always_eager = eager


def queued(r) -> list[str]:
    """The task ids waiting in the default queue."""
    return [json.loads(m)["headers"]["id"] for m in r.lrange("celery", 0, -1)]


def test_done_queues_one_check_and_the_photo_waits_for_it(client, users, small_election, s3_storage, broker,
                                                          django_capture_on_commit_callbacks,
                                                          django_assert_max_num_queries):
    h = auth(users["saksi"])
    with django_assert_max_num_queries(3):  # token+election+TPS+upload, INSERT, last_used_at
        r = presign(client, h, cid="foto-cepat")
    assert r.status_code == 201, r.content
    a = r.json()
    assert httpx.put(a["url"], content=make_jpeg("TPS 001"), timeout=30).status_code == 200
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(3):
        r = done(client, h, a)
    assert r.status_code == 202 and r.json()["status"] == "pending"
    upload = PhotoUpload.objects.get(pk=a["upload"])
    job = Job.objects.get(pk=upload.job_id)
    assert job.kind == "results.verify_photo" and job.status == "queued" and job.created_by == users["saksi"]
    assert queued(broker) == [str(job.pk)]
    assert not Photo.objects.exists() and upload.status == "pending"  # not accepted before the check
    # asked again while pending: the same job, its task sent again (a lost task is then run)
    with django_capture_on_commit_callbacks(execute=True):
        assert done(client, h, a).json()["status"] == "pending"
    assert Job.objects.count() == 1 and queued(broker) == [str(job.pk)] * 2
    # the worker runs the task (twice delivered: the second changes nothing)
    for _ in range(2):
        uploads.verify_photo.apply(kwargs={"job_id": str(job.pk), "upload_id": str(upload.pk)}, task_id=str(job.pk))
    upload.refresh_from_db()
    assert upload.status == "accepted" and Photo.objects.filter(pk=upload.photo_id).count() == 1
    broker.delete("celery")
    got = done(client, h, a).json()
    assert got["status"] == "accepted" and got["photo"] == upload.photo_id and queued(broker) == []
    again = presign(client, h, cid="foto-cepat")
    assert again.status_code == 200 and "url" not in again.json() and again.json()["upload"] == a["upload"]
    assert PhotoUpload.objects.count() == 1 and Photo.objects.count() == 1


def test_the_short_path_refuses_as_the_orm_path(client, users, small_election, s3_storage, broker, make_user):
    a = presign(client, auth(users["saksi"])).json()
    other = make_user("saksi2", "saksi", tps_code="3175081001002")
    r = done(client, auth(other), a)
    assert r.status_code == 403 and "tidak berwenang" in r.json()["detail"]
    assert client.post("/api/results/photos/uploads/bukan-id/done", **auth(other)).status_code == 404
    missing = "00000000-0000-4000-8000-000000000000"
    assert client.post(f"/api/results/photos/uploads/{missing}/done", **auth(other)).status_code == 404
    assert presign(client, auth(other), tps=TPS).status_code == 403
    r = presign(client, auth(users["saksi"]), cid=a["client_id"], page=2)  # same id, other page
    assert r.status_code == 422 and "sudah dipakai" in r.json()["detail"]
    assert client.post("/api/results/photos/presign", {"client_id": "x", "election": "tidak-ada", "tps": TPS,
                                                       "page": 1}, content_type="application/json",
                       **auth(users["saksi"])).status_code == 404
    assert PhotoUpload.objects.count() == 1 and not Job.objects.exists() and not broker.llen("celery")


def test_an_expired_token_is_refused_by_every_short_path(client, users, small_election, s3_storage, broker):
    assert upload_fastpath.available() and connection.vendor == "postgresql"
    token, key = ApiToken.issue(users["saksi"])
    a = presign(client, {"HTTP_AUTHORIZATION": f"Bearer {key}"}).json()
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    r = presign(client, h)
    assert r.status_code == 401 and "kedaluwarsa" in r.json()["detail"]
    assert done(client, h, a).status_code == 401
    r = client.post("/api/results/submissions", {"client_id": "s-1", "election": "uji", "tps": TPS, "kind": "saksi",
                                                 "votes": {"1": 1}}, content_type="application/json", **h)
    assert r.status_code == 401 and "kedaluwarsa" in r.json()["detail"]
    assert PhotoUpload.objects.count() == 1 and not Job.objects.exists() and not Submission.objects.exists()
