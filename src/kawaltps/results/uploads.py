"""Photos straight from the phone to object storage: presigned upload, then a background check.

Flow (``/api/results/photos/presign`` … in ``api_uploads.py``):

1. :func:`presign` — the phone names election, TPS, page and its own ``client_id`` for the photo;
   the server creates a ``PhotoUpload`` (pending) and answers a presigned PUT URL valid for
   ``PRESIGN_SECONDS``. Asking again with the same ``client_id`` (the URL expired, the app was
   restarted) returns the same upload with a fresh URL; nothing is duplicated.
2. The phone PUTs the bytes to the storage. Photo bytes never pass through a web process.
3. :func:`finish` — the phone says it is uploaded; the server starts the ``results.verify_photo``
   job (kawaltps.jobs: a worker with a broker, in-process without one).
4. :func:`verify` (the job) reads the object and applies the evidence rules
   (``kawaltps.evidence.rules.prepare_image``: size, type by decoding, pixel bound, SHA-256, EXIF,
   perceptual hash); a photo that passes is
   stored as a ``Photo`` of the TPS (the object stays where it is: no second copy), indexed for
   duplicates and ``accepted``; otherwise ``refused`` with the Indonesian reason, nothing stored
   for the TPS and the object deleted.
5. :func:`sweep_stale` — a check whose worker was killed is sent again by the workers' sweeper
   after ``JOB_REDELIVER_AFTER`` (``jobs/redelivery.py``), not after Redis's visibility timeout.

Without ``KAWALTPS_S3_BUCKET`` (the laptop) presigning is refused with a clear message and the
phone uses the multipart upload (``POST /api/results/photos``) as before.
"""

import datetime
import functools
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kawaltps.access import Action, may, require
from kawaltps.evidence import rules as evidence
from kawaltps.jobs import redelivery
from kawaltps.jobs.models import Job
from kawaltps.jobs.services import Progress, enqueue, job_task, send

from . import photos as photo_service
from .models import PhotoUpload, TpsResult
from .validation import check_client_id, check_page

Status = PhotoUpload.Status


def available() -> bool:
    """Direct uploads need S3-compatible storage (``KAWALTPS_S3_BUCKET``)."""
    return bool(getattr(settings, "S3_BUCKET", None))


def _client():
    """A boto3 client that signs URLs for the address phones reach (``KAWALTPS_S3_PUBLIC_URL``,
    else the endpoint the servers use); one per process and configuration (making one costs
    far more than signing a URL)."""
    options = settings.STORAGES["default"].get("OPTIONS", {})
    return _cached_client(settings.S3_PUBLIC_URL or options.get("endpoint_url"), options.get("access_key"),
                          options.get("secret_key"), settings.S3_REGION)


@functools.lru_cache(maxsize=4)
def _cached_client(endpoint: str | None, key: str | None, secret: str | None, region: str):
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret,
                        region_name=region, config=Config(signature_version="s3v4"))


def authorise(user, code: str) -> None:
    """The saksi of the TPS or a clerk may add its photos (as ``services.add_photo``)."""
    if not may(user, Action.ENTER_RESULT, code):
        require(user, Action.SUBMIT_RESULT, code)


def _signed(upload: PhotoUpload) -> dict:
    seconds = settings.PRESIGN_SECONDS
    url = _client().generate_presigned_url(
        "put_object", Params={"Bucket": settings.S3_BUCKET, "Key": upload.key}, ExpiresIn=seconds)
    return {"url": url, "method": "PUT", "expires_at": timezone.now() + datetime.timedelta(seconds=seconds)}


def new_key(election_id: int, code: str) -> str:
    """The object key of a new upload of TPS ``code``: unguessable, one per upload (every presign path)."""
    return f"chasil/{election_id}/{code}/unggah/{uuid.uuid4().hex}"


def presign(user, election, tps_code: str, page: int, client_id: str) -> tuple[PhotoUpload, dict | None]:
    """The pending upload for ``client_id`` and a fresh presigned PUT (``None`` once it was checked).

    Raises ``PermissionDenied``, or ``ValidationError`` (Indonesian) for an unknown TPS, a page the
    form does not have, a bad id, an id used for another TPS, or no object storage configured."""
    code = str(tps_code).replace(".", "")
    authorise(user, code)  # who asks comes first: a refusal never depends on the server's set-up
    if not available():
        raise ValidationError(_("Unggah langsung ke penyimpanan tidak tersedia di server ini; "
                                "kirim foto bersama formulir."))
    client_id = check_client_id(client_id)
    page = check_page(election, page)
    from .services import _get_tps

    _get_tps(election, code)
    upload = PhotoUpload.objects.filter(client_id=client_id).first()
    if upload is None:
        key = new_key(election.pk, code)
        try:
            upload = PhotoUpload.objects.create(client_id=client_id, election=election, code=code, page=page,
                                                key=key, uploaded_by=user if user.pk else None)
        except IntegrityError:  # the same id raced itself
            upload = PhotoUpload.objects.get(client_id=client_id)
    if upload.election_id != election.pk or upload.code != code or upload.page != page:
        raise ValidationError({"client_id": _("Id foto ini sudah dipakai untuk TPS atau halaman lain.")})
    if upload.status != Status.PENDING or upload.job_id:
        return upload, None
    return upload, _signed(upload)


def get_upload(user, upload_id) -> PhotoUpload:
    """The upload, for someone who may add photos to its TPS (else ``PermissionDenied``)."""
    upload = PhotoUpload.objects.select_related("election").get(pk=upload_id)
    if upload.uploaded_by_id != user.pk:
        authorise(user, upload.code)
    return upload


UNFINISHED = (Job.Status.QUEUED, Job.Status.RUNNING)


def finish(user, upload: PhotoUpload) -> PhotoUpload:
    """The phone says the bytes are uploaded: start the check (once). In-process without a broker,
    so the answer already says accepted or refused; with a broker it says pending.

    Said again while the upload is still pending and its job unfinished, the task is sent again: a
    task lost on the way (a web process killed between the commit and the send) or held by a killed
    worker (the broker gives it back only after its visibility timeout) is then run; the check is
    idempotent, so a second delivery of a task that was not lost changes nothing."""
    if upload.status != Status.PENDING:
        return upload
    if upload.job_id:
        if Job.objects.filter(pk=upload.job_id, status__in=UNFINISHED).exists():
            send(verify_photo, Job(pk=upload.job_id), upload_id=str(upload.pk))
        return upload
    with transaction.atomic():
        locked = PhotoUpload.objects.select_for_update().get(pk=upload.pk)
        if locked.job_id:
            return locked
        job = enqueue(verify_photo, user=user, upload_id=str(upload.pk))
        PhotoUpload.objects.filter(pk=upload.pk, job__isnull=True).update(job=job)
    return PhotoUpload.objects.select_related("election").get(pk=upload.pk)


def _refuse(upload: PhotoUpload, reason: str) -> None:
    PhotoUpload.objects.filter(pk=upload.pk).update(status=Status.REFUSED, reason=reason, checked_at=timezone.now())
    try:
        default_storage.delete(upload.key)
    except Exception:  # noqa: BLE001 - a leftover object is harmless; the refusal is what counts
        pass


def verify(upload_id) -> str:
    """Check one uploaded object and accept or refuse it (idempotent: a checked upload is left as is).

    Returns the upload's final status."""
    upload = PhotoUpload.objects.select_related("election", "uploaded_by").get(pk=upload_id)
    if upload.status != Status.PENDING:
        return upload.status
    try:
        f = default_storage.open(upload.key, "rb")  # S3: the object's size is known before a byte is read
        f.size  # noqa: B018 - a missing object raises here
    except Exception:  # noqa: BLE001 - missing object: storage backends raise different errors
        _refuse(upload, _("Foto belum sampai di penyimpanan. Kirim ulang foto ini."))
        return Status.REFUSED
    try:
        if f.size > evidence.MAX_IMAGE_BYTES:  # refused before the first read downloads the whole object
            raise evidence._too_big_image()
        with f:
            prepared = evidence.prepare(f)  # images only: the declared size, then the bytes
    except ValidationError as exc:
        _refuse(upload, " ".join(exc.messages))
        return Status.REFUSED
    from .services import _get_tps, result_for

    election = upload.election
    result = result_for(election, _get_tps(election, upload.code))
    with transaction.atomic():
        locked = PhotoUpload.objects.select_for_update().get(pk=upload.pk)
        if locked.status != Status.PENDING:
            return locked.status
        result = TpsResult.objects.select_for_update(of=("self",)).get(pk=result.pk)
        result.election = election
        photo = photo_service.store(result, prepared, upload.page, user=upload.uploaded_by, name=upload.key)
        PhotoUpload.objects.filter(pk=upload.pk).update(status=Status.ACCEPTED, photo=photo, reason="",
                                                        checked_at=timezone.now())
    return Status.ACCEPTED


@job_task("results.verify_photo", redeliver_on_worker_lost=True)
def verify_photo(progress: Progress, upload_id: str) -> dict:
    """The background check of one directly uploaded photo (see :func:`verify`)."""
    progress.total(1)
    status = verify(upload_id)
    progress.advance()
    return {"upload": upload_id, "status": str(status)}


@redelivery.sweep_for("results.verify_photo")
def sweep_stale(cutoff: datetime.datetime, limit: int = 5000) -> dict:
    """Send again the check of every pending upload whose job went stale before ``cutoff``
    (``redelivery.stale_q``); after ``JOB_MAX_RESENDS`` resends of a check that was running (its
    worker died each time) the upload is refused with the reason and its job failed."""
    def give_up(upload_id, resends: int) -> str:
        reason = _("Foto tidak dapat diperiksa (pemeriksaan terhenti %(n)d kali). Kirim ulang foto ini.") % {
            "n": resends}
        if PhotoUpload.objects.filter(pk=upload_id, status=Status.PENDING).update(
                status=Status.REFUSED, reason=reason, checked_at=timezone.now()):
            key = PhotoUpload.objects.values_list("key", flat=True).get(pk=upload_id)
            try:
                default_storage.delete(key)
            except Exception:  # noqa: BLE001 - a leftover object is harmless (as in _refuse)
                pass
        return reason

    return redelivery.resend_stale(PhotoUpload.objects.filter(status=Status.PENDING), verify_photo, cutoff,
                                   limit, give_up)


ARRIVED_WINDOW = datetime.timedelta(days=1)
ARRIVED_LIMIT = 1000


@redelivery.sweep_for("results.verify_photo.arrived")
def sweep_arrived(cutoff: datetime.datetime | None = None, limit: int = ARRIVED_LIMIT) -> dict:
    """Start the check of each pending upload never confirmed (no ``done``, no job) whose object is
    in the storage now (a HEAD), newest first, of the last ``ARRIVED_WINDOW``: the phone's ``done``
    only speeds the check up. Through :func:`finish` (lock, one job per upload), so a ``done``
    racing this sweep, or N workers sweeping, start one check."""
    if not available():
        return {"started": 0}
    rows = (PhotoUpload.objects.filter(status=Status.PENDING, job__isnull=True,
                                       created_at__gte=timezone.now() - ARRIVED_WINDOW)
            .select_related("election", "uploaded_by").order_by("-created_at")[:limit])
    started = 0
    for upload in rows:
        try:
            present = default_storage.exists(upload.key)
        except Exception:  # noqa: BLE001 - the storage unreachable: next sweep
            return {"started": started}
        if present and finish(upload.uploaded_by, upload).job_id:
            started += 1
    return {"started": started}


def answer(upload: PhotoUpload, signed: dict | None = None) -> dict:
    """The JSON the phone reads: id, state (pending/accepted/refused) and the reason in words."""
    body = {"upload": str(upload.pk), "client_id": upload.client_id, "tps": upload.code, "page": upload.page,
            "status": upload.status, "status_label": upload.get_status_display(), "reason": upload.reason,
            "photo": upload.photo_id}
    if signed:
        body.update(url=signed["url"], method=signed["method"], expires_at=signed["expires_at"].isoformat())
    return body
