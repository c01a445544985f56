"""Evidence straight from the phone to object storage (presigned PUT), checked by a background job.

The same path as the C.Hasil photos (``results.uploads``) for every other evidence file: an
incident's photos and videos (``purpose="incident"``, registered by ``fieldday``). Flow:

1. :func:`presign` — the phone names what the file proves (purpose + target, e.g. its incident)
   and its own ``client_id``; a pending :class:`EvidenceUpload` and a presigned PUT URL valid for
   ``PRESIGN_SECONDS`` are returned (asking again: the same upload, a fresh URL).
2. The phone PUTs the bytes to the storage; they never pass through a web process.
3. :func:`finish` — the phone says it is uploaded: the ``evidence.verify_upload`` job starts (once;
   said again while the job is unfinished, its task is sent again).
4. :func:`verify` (the job) applies the one set of rules (``rules.prepare(allow_video=True)``: type
   by decoding or container signature, size, pixels, SHA-256, EXIF kept with the original),
   stores the file content-addressed with its EXIF-free display copy (``store.save``, the same
   rows, paths and audit record as a multipart upload), attaches it to the target (the purpose's
   ``attach``) and deletes the uploaded object; a file that fails is refused with the reason.
5. A check whose worker died is sent again by the workers' sweeper (``jobs/redelivery.py``).

Without ``KAWALTPS_S3_BUCKET`` (the laptop default, local files) presigning is refused with a clear
message and the phone sends the files with the report (multipart), as before.
"""

import datetime
import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kawaltps.jobs import redelivery
from kawaltps.jobs.models import Job
from kawaltps.jobs.services import Progress, enqueue, job_task, send

from . import rules, store
from .models import EvidenceUpload

Status = EvidenceUpload.Status
UNFINISHED = (Job.Status.QUEUED, Job.Status.RUNNING)


@dataclass(frozen=True)
class Purpose:
    """What an uploaded file can prove. ``target(user, target_id)`` returns ``(election, code)``
    after the permission check (raises ``PermissionDenied``/``ValidationError``);
    ``attach(target_id, evidence_file, user)`` links the stored file, in the job's transaction;
    ``count(target_id)`` is how many files the target has, at most ``max_files``."""

    target: Callable
    attach: Callable
    count: Callable
    max_files: int
    allow_video: bool = True


PURPOSES: dict[str, Purpose] = {}


def available() -> bool:
    """Direct uploads need S3-compatible storage (``KAWALTPS_S3_BUCKET``)."""
    return bool(getattr(settings, "S3_BUCKET", None))


@functools.lru_cache(maxsize=4)
def _cached_client(endpoint: str | None, key: str | None, secret: str | None, region: str):
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret,
                        region_name=region, config=Config(signature_version="s3v4"))


def signed_put(key: str) -> dict:
    """A presigned PUT of ``key`` for the address phones reach (``KAWALTPS_S3_PUBLIC_URL``)."""
    options = settings.STORAGES["default"].get("OPTIONS", {})
    client = _cached_client(settings.S3_PUBLIC_URL or options.get("endpoint_url"), options.get("access_key"),
                            options.get("secret_key"), settings.S3_REGION)
    seconds = settings.PRESIGN_SECONDS
    url = client.generate_presigned_url("put_object", Params={"Bucket": settings.S3_BUCKET, "Key": key},
                                        ExpiresIn=seconds)
    return {"url": url, "method": "PUT", "expires_at": timezone.now() + datetime.timedelta(seconds=seconds)}


def _purpose(name: str) -> Purpose:
    if name not in PURPOSES:
        raise ValidationError(_("Jenis bukti tidak dikenal."))
    return PURPOSES[name]


def _client_id(client_id) -> str:
    client_id = str(client_id or "").strip()
    if not client_id or len(client_id) > 64:
        raise ValidationError({"client_id": _("Id kiriman (client_id) wajib diisi, paling panjang 64 karakter.")})
    return client_id


def presign(user, purpose: str, target_id: int, client_id: str) -> tuple[EvidenceUpload, dict | None]:
    """The pending upload for ``client_id`` and a fresh presigned PUT (``None`` once it was checked).

    Raises ``PermissionDenied``, or ``ValidationError`` (Indonesian) for no object storage, a bad
    id, an id used for another target, or a target that has its ``max_files`` already."""
    p = _purpose(purpose)
    election, code = p.target(user, target_id)  # who asks comes first: a refusal never depends on set-up
    if not available():
        raise ValidationError(_("Unggah langsung ke penyimpanan tidak tersedia di server ini; "
                                "kirim berkas bersama laporan."))
    client_id = _client_id(client_id)
    upload = EvidenceUpload.objects.filter(client_id=client_id).first()
    if upload is None:
        pending = EvidenceUpload.objects.filter(purpose=purpose, target_id=target_id, status=Status.PENDING).count()
        if p.count(target_id) + pending >= p.max_files:
            raise ValidationError(_("Paling banyak %(n)s berkas bukti per laporan.") % {"n": p.max_files})
        key = f"evidence/{election.pk}/unggah/{uuid.uuid4().hex}"
        try:
            upload = EvidenceUpload.objects.create(client_id=client_id, election=election, code=code,
                                                   purpose=purpose, target_id=target_id, key=key,
                                                   uploaded_by=user if user.pk else None)
        except IntegrityError:  # the same id raced itself
            upload = EvidenceUpload.objects.get(client_id=client_id)
    if upload.purpose != purpose or upload.target_id != int(target_id):
        raise ValidationError({"client_id": _("Id berkas ini sudah dipakai untuk laporan lain.")})
    if upload.status != Status.PENDING or upload.job_id:
        return upload, None
    return upload, signed_put(upload.key)


def get_upload(user, purpose: str, target_id: int, client_id: str) -> EvidenceUpload:
    """The upload ``client_id`` of this target, for someone who may add evidence to it."""
    _purpose(purpose).target(user, target_id)
    upload = EvidenceUpload.objects.filter(client_id=_client_id(client_id), purpose=purpose,
                                           target_id=target_id).first()
    if upload is None:
        raise ValidationError({"client_id": _("Belum ada unggahan dengan id ini; minta alamat unggah dulu.")})
    return upload


def finish(user, upload: EvidenceUpload) -> EvidenceUpload:
    """The phone says the bytes are uploaded: start the check (once). In-process without a broker
    (the answer says accepted or refused), else pending; said again while pending, the unfinished
    job's task is sent again (the check is idempotent)."""
    if upload.status != Status.PENDING:
        return upload
    if upload.job_id:
        if Job.objects.filter(pk=upload.job_id, status__in=UNFINISHED).exists():
            send(verify_upload, Job(pk=upload.job_id), upload_id=str(upload.pk))
        return upload
    with transaction.atomic():
        locked = EvidenceUpload.objects.select_for_update().get(pk=upload.pk)
        if locked.job_id:
            return locked
        job = enqueue(verify_upload, user=user, upload_id=str(upload.pk))
        EvidenceUpload.objects.filter(pk=upload.pk, job__isnull=True).update(job=job)
    return EvidenceUpload.objects.get(pk=upload.pk)


def _delete_object(key: str) -> None:
    try:
        default_storage.delete(key)
    except Exception:  # noqa: BLE001 - a leftover object is harmless; the row's status is what counts
        pass


def _refuse(upload: EvidenceUpload, reason: str) -> None:
    if EvidenceUpload.objects.filter(pk=upload.pk, status=Status.PENDING).update(
            status=Status.REFUSED, reason=reason, checked_at=timezone.now()):
        _delete_object(upload.key)


def verify(upload_id) -> str:
    """Check one uploaded object: stored as evidence and attached, or refused (idempotent: a checked
    upload is left as is). Returns the upload's final status."""
    upload = EvidenceUpload.objects.select_related("election", "uploaded_by").get(pk=upload_id)
    if upload.status != Status.PENDING:
        return upload.status
    p = _purpose(upload.purpose)
    try:
        f = default_storage.open(upload.key, "rb")
        size = f.size  # S3: known before a byte is read; a missing object raises here
    except Exception:  # noqa: BLE001 - missing object: storage backends raise different errors
        _refuse(upload, _("Berkas belum sampai di penyimpanan. Kirim ulang berkas ini."))
        return Status.REFUSED
    limit = rules.max_video_bytes() if p.allow_video else rules.MAX_IMAGE_BYTES
    try:
        if size > max(limit, rules.MAX_IMAGE_BYTES):  # nothing is downloaded for a file over every limit
            raise (rules._too_big_video() if p.allow_video else rules._too_big_image())
        with f:
            prepared = rules.prepare(f, allow_video=p.allow_video)
    except ValidationError as exc:
        _refuse(upload, " ".join(exc.messages))
        return Status.REFUSED
    with transaction.atomic():
        locked = EvidenceUpload.objects.select_for_update().get(pk=upload.pk)
        if locked.status != Status.PENDING:
            return locked.status
        ev, _new = store.save(prepared, election=upload.election, code=upload.code, purpose=upload.purpose,
                              user=upload.uploaded_by)
        p.attach(upload.target_id, ev, upload.uploaded_by)
        EvidenceUpload.objects.filter(pk=upload.pk).update(status=Status.ACCEPTED, evidence=ev, reason="",
                                                           checked_at=timezone.now())
    _delete_object(upload.key)  # the evidence now lives at its content-addressed name
    return Status.ACCEPTED


@job_task("evidence.verify_upload", redeliver_on_worker_lost=True)
def verify_upload(progress: Progress, upload_id: str) -> dict:
    """The background check of one directly uploaded evidence file (see :func:`verify`)."""
    progress.total(1)
    status = verify(upload_id)
    progress.advance()
    return {"upload": upload_id, "status": str(status)}


@redelivery.sweep_for("evidence.verify_upload")
def sweep_stale(cutoff: datetime.datetime, limit: int = 5000) -> dict:
    """Send again the check of every pending upload whose job went stale before ``cutoff``; after
    ``JOB_MAX_RESENDS`` resends of a running check the upload is refused (as the C.Hasil photos)."""
    def give_up(upload_id, resends: int) -> str:
        reason = _("Berkas tidak dapat diperiksa (pemeriksaan terhenti %(n)d kali). Kirim ulang berkas ini.") % {
            "n": resends}
        _refuse(EvidenceUpload.objects.get(pk=upload_id), reason)
        return reason

    return redelivery.resend_stale(EvidenceUpload.objects.filter(status=Status.PENDING), verify_upload, cutoff,
                                   limit, give_up)


def answer(upload: EvidenceUpload, signed: dict | None = None) -> dict:
    """The JSON the phone reads: id, state (pending/accepted/refused), the reason, the stored file."""
    body = {"upload": str(upload.pk), "client_id": upload.client_id, "status": upload.status,
            "status_label": upload.get_status_display(), "reason": upload.reason, "evidence": upload.evidence_id,
            "sha256": upload.evidence.sha256 if upload.evidence_id else None}
    if signed:
        body.update(url=signed["url"], method=signed["method"], expires_at=signed["expires_at"].isoformat())
    return body
