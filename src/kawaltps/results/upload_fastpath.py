"""The presign and ``done`` requests of a phone on PostgreSQL in two statements each (bearer token):
the same rules as :func:`uploads.presign` and :func:`uploads.finish`, a fraction of their round trips.

Why: measured (``bench/photos_submit_presigned.py``), the ORM path of ``presign`` made 6 round trips
(token, election, "seen before?", TPS, upload, INSERT) and ``done`` 8 (token, upload, BEGIN, lock,
job INSERT, UPDATE, COMMIT, the upload again); every round trip waits for a shared CPU. Signing
the URL (HMAC, boto3 client cached per process) costs ~0.35 ms and was never the problem.

- **presign**: one SELECT reads the token (live, not expired) and its user, the election by slug,
  the TPS by code and the upload already made for this ``client_id``; Python asks the same
  questions in the same order (``kawaltps.access`` through :func:`uploads.authorise`, then
  storage, id, page, TPS); one ``INSERT … ON CONFLICT (client_id) DO NOTHING`` creates the pending
  upload. Same ``client_id`` again → the same upload and a fresh URL, never a second row.
- **done**: one SELECT reads the token, user and the upload; permission as :func:`uploads.get_upload`;
  one statement locks the upload (still pending, no job), inserts its ``Job`` and links it — a
  concurrent ``done`` waits on the lock, then finds the job and adds nothing — and after the commit
  the ``results.verify_photo`` task is sent (:func:`jobs.services.send`). The photo stays pending
  until that job accepts it. ``done`` again while the upload is pending and its job unfinished
  sends the task again (as :func:`uploads.finish`).

Each function returns None when the token is unknown, revoked, expired or its user inactive, or when
a race makes the short path unsure (an id inserted by its twin): the caller then takes the ORM path,
which answers 401 with the reason or replays. Without a broker (eager jobs, the laptop) ``done``
takes the ORM path too, so its answer is already final.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kawaltps.core import prepared
from kawaltps.elections.models import Election
from kawaltps.jobs.models import Job
from kawaltps.jobs.services import send
from kawaltps.people.models import ApiToken, _digest

from . import uploads
from .fastpath import TOKEN_LIVE, _touch_token, _user
from .models import PhotoUpload
from .validation import check_client_id, check_page

Status = PhotoUpload.Status

TOKEN_COLS = ("u.id, u.username, u.role, u.tps_code, u.region_id, u.is_active, u.is_superuser, "
              "t.id, t.last_used_at")  # the columns fastpath._user / _touch_token read (0-8)
UPLOAD_COLS = "x.id, x.client_id, x.election_id, x.code, x.page, x.key, x.status, x.reason, x.photo_id, x.job_id, " \
              "x.uploaded_by_id"

PRESIGN_SQL = f"""
SELECT {TOKEN_COLS}, e.id, e.form_type, p.id, {UPLOAD_COLS}
FROM people_apitoken t JOIN people_user u ON u.id = t.user_id
LEFT JOIN elections_election e ON e.slug = %(slug)s
LEFT JOIN regions_tps p ON p.election_id = e.id AND p.code = %(code)s
LEFT JOIN results_photoupload x ON x.client_id = %(cid)s
WHERE {TOKEN_LIVE}
"""

INSERT_SQL = """
INSERT INTO results_photoupload (id, client_id, election_id, code, page, key, status, reason, uploaded_by_id,
                                 created_at)
VALUES (%(id)s, %(cid)s, %(election)s, %(code)s, %(page)s, %(key)s, 'pending', '', %(user)s, %(now)s)
ON CONFLICT (client_id) DO NOTHING RETURNING id
"""

DONE_SQL = f"""
SELECT {TOKEN_COLS}, {UPLOAD_COLS}, jb.status
FROM people_apitoken t JOIN people_user u ON u.id = t.user_id
LEFT JOIN results_photoupload x ON x.id = %(upload)s
LEFT JOIN jobs_job jb ON jb.id = x.job_id
WHERE {TOKEN_LIVE}
"""

START_SQL = """
WITH x AS (SELECT id FROM results_photoupload
           WHERE id = %(upload)s AND status = 'pending' AND job_id IS NULL FOR UPDATE),
j AS (INSERT INTO jobs_job (id, kind, status, total, done, message, result, created_by_id, created_at)
      SELECT %(job)s, %(kind)s, 'queued', 0, 0, '', '{}'::jsonb, %(user)s, %(now)s FROM x RETURNING id)
UPDATE results_photoupload SET job_id = j.id FROM j WHERE results_photoupload.id = %(upload)s
RETURNING results_photoupload.job_id
"""


def available() -> bool:
    return connection.vendor == "postgresql"


def _read(sql: str, key: str, **params):
    now = timezone.now()
    with prepared.cursor() as cur:
        cur.execute(sql, {"digest": _digest(key), "life": ApiToken.lifetime(), "now": now, **params})
        return cur.fetchone()


def _upload(cols) -> PhotoUpload | None:
    """The upload read by the statement (columns of ``UPLOAD_COLS``), or None."""
    if cols[0] is None:
        return None
    names = ("id", "client_id", "election_id", "code", "page", "key", "status", "reason", "photo_id", "job_id",
             "uploaded_by_id")
    return PhotoUpload(**dict(zip(names, cols, strict=True)))


def presign(key: str, slug: str, tps_code, page, client_id) -> tuple[PhotoUpload, dict | None, bool] | None:
    """``(upload, signed URL or None, created)`` as :func:`uploads.presign`; None → take the ORM path.

    Raises ``Http404`` (unknown election), ``PermissionDenied`` or ``ValidationError`` (Indonesian),
    and then stores nothing."""
    code = str(tps_code).replace(".", "")
    cid = str(client_id or "").strip()
    row = _read(PRESIGN_SQL, key, slug=slug, code=code, cid=cid)
    if row is None or (user := _user(row)) is None:
        return None
    _touch_token(row)
    election_id, form_type, tps_id, found = row[9], row[10], row[11], _upload(row[12:])
    if election_id is None:
        raise Http404
    uploads.authorise(user, code)  # who asks comes first, as in uploads.presign
    if not uploads.available():
        raise ValidationError(_("Unggah langsung ke penyimpanan tidak tersedia di server ini; "
                                "kirim foto bersama formulir."))
    cid = check_client_id(client_id)
    page = check_page(Election(id=election_id, slug=slug, form_type=form_type), page)
    if tps_id is None:
        raise ValidationError({"tps": _("TPS %(code)s tidak ada dalam pemilihan ini.") % {"code": code}})
    created = found is None
    if created:
        found = PhotoUpload(id=uuid.uuid4(), client_id=cid, election_id=election_id, code=code, page=page,
                            key=uploads.new_key(election_id, code), status=Status.PENDING,
                            reason="", uploaded_by_id=user.pk)
        with prepared.cursor() as cur:
            cur.execute(INSERT_SQL, {"id": found.id, "cid": cid, "election": election_id, "code": code, "page": page,
                                     "key": found.key, "user": user.pk, "now": timezone.now()})
            if cur.fetchone() is None:
                return None  # its twin inserted the same id a moment ago: the ORM path answers with that row
    if found.election_id != election_id or found.code != code or found.page != page:
        raise ValidationError({"client_id": _("Id foto ini sudah dipakai untuk TPS atau halaman lain.")})
    if found.status != Status.PENDING or found.job_id:
        return found, None, created
    return found, uploads._signed(found), created


def finish(key: str, upload_id: str) -> PhotoUpload | None:
    """The upload after ``done`` as :func:`uploads.finish` (its check started once); None → ORM path.

    Raises ``Http404`` (unknown or malformed id) or ``PermissionDenied``."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None  # no broker: the ORM path runs the check in the request
    try:
        upload_uuid = uuid.UUID(str(upload_id))
    except ValueError:
        raise Http404 from None
    row = _read(DONE_SQL, key, upload=upload_uuid)
    if row is None or (user := _user(row)) is None:
        return None
    _touch_token(row)
    upload, job_status = _upload(row[9:20]), row[20]
    if upload is None:
        raise Http404
    if upload.uploaded_by_id != user.pk:
        uploads.authorise(user, upload.code)  # as uploads.get_upload
    if upload.status != Status.PENDING:
        return upload
    if upload.job_id:
        if job_status in uploads.UNFINISHED:  # asked again while pending: the task may have been lost
            send(uploads.verify_photo, Job(pk=upload.job_id), upload_id=str(upload.id))
        return upload
    job_id = uuid.uuid4()
    with prepared.cursor() as cur:  # one statement: atomic by itself (autocommit), no BEGIN/COMMIT round trips
        cur.execute(START_SQL, {"upload": upload.id, "job": job_id, "kind": uploads.verify_photo.kind,
                                "user": user.pk, "now": timezone.now()})
        started = cur.fetchone()
    if started is None:
        return None  # a concurrent done started it: the ORM path reads the row as it is now
    # sent once the job row is committed: at once in autocommit, at the end of an enclosing transaction
    transaction.on_commit(lambda: send(uploads.verify_photo, Job(pk=job_id), upload_id=str(upload.id)))
    upload.job_id = job_id
    return upload
