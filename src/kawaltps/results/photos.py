"""Photos of C.Hasil pages: checked on the server, stored with their fingerprints, reuse caught.

- Type: JPEG, PNG or WebP, decided by opening the bytes with Pillow (never the file name or the
  browser's content type). Size: at most 10 MB. Errors are Indonesian ``ValidationError``s and
  nothing is stored.
- Stored through Django's ``default_storage`` (local files or S3) at
  ``chasil/<election>/<tps>/<sha256>.<ext>`` with SHA-256, size, EXIF time (``DateTimeOriginal``,
  read as local time of ``settings.TIME_ZONE``) and EXIF GPS position.
- Perceptual hash (``imagehash.phash``, 64 bits): a photo within Hamming distance
  ``DUPLICATE_DISTANCE`` (6) of a photo already stored for ANOTHER TPS of the same election is the
  same or a nearly identical picture: both TPS get the flag ``foto_duplikat``.
"""

import datetime
import hashlib
import io
from dataclasses import dataclass

import imagehash
import numpy as np
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from kawaltps.audit.services import record_change

from .checks import PHOTO_DUPLICATE
from .models import Photo, TpsResult, photo_path
from .tally import apply_change, contribution

MAX_BYTES = 10 * 1024 * 1024
DUPLICATE_DISTANCE = 6
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, DATETIME = 36867, 306


@dataclass(frozen=True)
class PreparedPhoto:
    data: bytes
    sha256: str
    size: int
    content_type: str
    ext: str
    phash: str
    exif_time: datetime.datetime | None
    latitude: float | None
    longitude: float | None


def _read(upload) -> bytes:
    if isinstance(upload, bytes | bytearray):
        return bytes(upload)
    if hasattr(upload, "size") and upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(_("Foto terlalu besar (lebih dari 10 MB). Kirim foto yang lebih kecil."))
    if hasattr(upload, "seek"):
        upload.seek(0)
    return upload.read(MAX_BYTES + 1)


def _exif_time(exif) -> datetime.datetime | None:
    raw = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    try:
        naive = datetime.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(naive)


def _degrees(value, ref) -> float | None:
    try:
        d, m, s = (float(x) for x in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    deg = d + m / 60 + s / 3600
    return -deg if str(ref).upper().startswith(("S", "W")) else deg


def _exif_gps(exif) -> tuple[float | None, float | None]:
    gps = exif.get_ifd(GPS_IFD)
    if not gps:
        return None, None
    return _degrees(gps.get(2), gps.get(1, "N")), _degrees(gps.get(4), gps.get(3, "E"))


def prepare(upload) -> PreparedPhoto:
    """Read and check one uploaded photo (a Django UploadedFile, a file object or bytes).

    Raises ``ValidationError`` (Indonesian) for a file over 10 MB or anything Pillow cannot open
    as a JPEG, PNG or WebP image.
    """
    data = _read(upload)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("Foto terlalu besar (lebih dari 10 MB). Kirim foto yang lebih kecil."))
    if not data:
        raise ValidationError(_("Berkas foto kosong."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            exif = img.getexif()
            phash = str(imagehash.phash(img))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("Berkas ini bukan foto yang bisa dibaca. Kirim foto JPEG, PNG, atau WebP.")
        ) from None
    if fmt not in FORMATS:
        raise ValidationError(_("Jenis berkas tidak diterima. Kirim foto JPEG, PNG, atau WebP."))
    content_type, ext = FORMATS[fmt]
    lat, lon = _exif_gps(exif)
    return PreparedPhoto(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content_type=content_type,
        ext=ext,
        phash=phash,
        exif_time=_exif_time(exif),
        latitude=lat,
        longitude=lon,
    )


def find_similar(result: TpsResult, phash: str) -> list[int]:
    """Ids of TpsResults of OTHER TPS in the same election with a photo within the duplicate distance."""
    rows = list(
        Photo.objects.filter(result__election_id=result.election_id)
        .exclude(result__tps_id=result.tps_id)
        .exclude(phash="")
        .values_list("result_id", "phash")
    )
    if not rows:
        return []
    hashes = np.array([int(h, 16) for _, h in rows], dtype=np.uint64)
    dist = np.bitwise_count(hashes ^ np.uint64(int(phash, 16)))
    return sorted({rows[i][0] for i in np.flatnonzero(dist <= DUPLICATE_DISTANCE)})


def flag_duplicate(result_ids: list[int], *, user=None, reason: str = "") -> None:
    """Add ``foto_duplikat`` to each result (locked in id order), keeping tallies right."""
    for result in (
        TpsResult.objects.select_for_update(of=("self",))
        .filter(pk__in=result_ids)
        .select_related("election")  # of=self: never lock the election row every TPS shares
        .order_by("pk")
    ):
        if PHOTO_DUPLICATE in result.flags:
            continue
        before = contribution(result)
        old = {"flags": list(result.flags)}
        result.flags = [*result.flags, PHOTO_DUPLICATE]
        result.flagged = True
        result.version += 1
        result.save(update_fields=["flags", "flagged", "version", "updated_at"])
        apply_change(before, result)
        record_change(
            user=user,
            obj=result,
            code=result.code,
            election_slug=result.election.slug,
            action="results.photo_duplicate",
            before=old,
            after={"flags": result.flags},
            reason=reason,
        )


def store(result: TpsResult, prepared: PreparedPhoto, page: int, *, user=None, submission=None) -> Photo:
    """Save one checked photo for ``result`` (inside the caller's transaction) and catch reuse.

    The same bytes for the same TPS page are stored once (a retried upload returns the first Photo).
    """
    existing = Photo.objects.filter(result=result, page=page, sha256=prepared.sha256).first()
    if existing:
        return existing
    photo = Photo(
        result=result,
        submission=submission,
        page=page,
        content_type=prepared.content_type,
        size=prepared.size,
        sha256=prepared.sha256,
        phash=prepared.phash,
        exif_time=prepared.exif_time,
        exif_latitude=prepared.latitude,
        exif_longitude=prepared.longitude,
        uploaded_by=user,
    )
    name = photo_path(photo, f"foto.{prepared.ext}")
    if not default_storage.exists(name):  # content-addressed: a retry rewrites nothing
        name = default_storage.save(name, ContentFile(prepared.data))
    photo.file.name = name
    photo.save()
    record_change(
        user=user,
        obj=photo,
        code=result.code,
        election_slug=result.election.slug,
        action="results.photo",
        after={"page": page, "sha256": prepared.sha256, "size": prepared.size, "phash": prepared.phash},
    )
    others = find_similar(result, prepared.phash)
    if others:
        with transaction.atomic():
            flag_duplicate(
                sorted([result.pk, *others]),
                user=user,
                reason=_("Foto halaman %(page)s mirip foto TPS lain.") % {"page": page},
            )
    return photo
