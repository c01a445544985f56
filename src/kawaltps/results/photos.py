"""Photos of C.Hasil pages: checked on the server, stored with their fingerprints, reuse caught.

- Type: JPEG, PNG or WebP, decided by opening the bytes with Pillow (never the file name or the
  browser's content type). Size: at most 10 MB. Pixels: at most ``MAX_PIXELS`` (50 million, above
  any phone camera's full resolution), read from the header before a pixel is decoded, so a small
  file that inflates to gigabytes (a 13,000 × 13,000 PNG of 519 KB) costs nothing. The whole image
  is then decoded, so a truncated or corrupt file is refused. Errors are Indonesian
  ``ValidationError``s and nothing is stored.
- Stored through Django's ``default_storage`` (local files or S3) at
  ``chasil/<election>/<tps>/<sha256>.<ext>`` with SHA-256, size, EXIF time (``DateTimeOriginal``,
  read as local time of ``settings.TIME_ZONE``) and EXIF GPS position. EXIF is the phone's claim,
  not a requirement: a missing, corrupt or absurd EXIF block (a GPS rational over zero, a year 1,
  a latitude of 400°) gives no time/position and never refuses the photo or raises.
- Perceptual hash (``imagehash.phash``, 64 bits): a photo within Hamming distance
  ``duplicates.DUPLICATE_DISTANCE`` of a photo already stored for ANOTHER TPS of the same election
  is the same or a nearly identical picture (found through the band index of ``duplicates.py``).
  Rule (who gets the flag): only the TPS the photo was just uploaded to gets ``foto_duplikat``;
  the matching TPS are listed in that TPS's change record (``after.matches``: code and page) for a
  koordinator to judge. An upload never writes a flag
  onto another TPS, so nobody can flag a TPS they have no right to write by uploading a copy of
  its photo to their own.
"""

import datetime
import hashlib
import io
import math
import struct
import warnings
from dataclasses import dataclass

import imagehash
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from kawaltps.audit.services import record_change

from . import duplicates
from .checks import PHOTO_DUPLICATE
from .models import Photo, TpsResult, photo_path
from .tally import apply_change, contribution

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 50 MP phone photo; RGB decoded that is 150 MB of memory at most
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
        naive = datetime.datetime.strptime(str(raw).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except (TypeError, ValueError):
        return None
    if not 2000 <= naive.year <= 2100:  # a camera clock never set, or a forged year 1 (overflows UTC)
        return None
    return timezone.make_aware(naive)


def _degrees(value, ref) -> float | None:
    try:
        d, m, s = (float(x) for x in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    deg = d + m / 60 + s / 3600
    if not math.isfinite(deg):  # Pillow reads a rational over zero as NaN
        return None
    return -deg if str(ref).upper().startswith(("S", "W")) else deg


def _exif_gps(exif) -> tuple[float | None, float | None]:
    gps = exif.get_ifd(GPS_IFD)
    if not gps:
        return None, None
    lat, lon = _degrees(gps.get(2), gps.get(1, "N")), _degrees(gps.get(4), gps.get(3, "E"))
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None, None
    return lat, lon


def read_exif(img) -> tuple[datetime.datetime | None, float | None, float | None]:
    """(time, latitude, longitude) the photo's EXIF claims; ``None`` for what is missing or corrupt.

    EXIF is written by whatever made the file; nothing in it may refuse a photo or raise.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow warns "Corrupt EXIF data"; that is what we handle here
        try:
            exif = img.getexif()
        except Exception:  # noqa: BLE001 - any corrupt EXIF block means "no EXIF"
            return None, None, None
        try:
            when = _exif_time(exif)
        except Exception:  # noqa: BLE001
            when = None
        try:
            lat, lon = _exif_gps(exif)
        except Exception:  # noqa: BLE001
            lat, lon = None, None
    return when, lat, lon


def open_image(data: bytes, formats=("JPEG", "PNG", "WEBP")) -> Image.Image:
    """The decoded image in ``data``, or ``ValidationError`` (Indonesian) when it is not one of
    ``formats``, has more than ``MAX_PIXELS`` pixels (judged from the header, before decoding),
    or does not decode completely. Shared by C.Hasil and D.Hasil uploads."""
    unreadable = _("Berkas ini bukan foto yang bisa dibaca. Kirim foto JPEG, PNG, atau WebP.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns on corrupt EXIF; we just ignore EXIF then
            img = Image.open(io.BytesIO(data), formats=list(formats))  # lazy: reads the header only
            width, height = img.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("Foto terlalu besar: %(w)s × %(h)s piksel; paling banyak %(max)s juta piksel.")
                    % {"w": width, "h": height, "max": MAX_PIXELS // 1_000_000})
            img.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(_("Foto terlalu besar: paling banyak %(max)s juta piksel.")
                              % {"max": MAX_PIXELS // 1_000_000}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error, MemoryError):
        raise ValidationError(unreadable) from None
    return img


def prepare(upload) -> PreparedPhoto:
    """Read and check one uploaded photo (a Django UploadedFile, a file object or bytes).

    Raises ``ValidationError`` (Indonesian) for a file over 10 MB, an image over ``MAX_PIXELS`` or
    anything Pillow cannot decode completely as a JPEG, PNG or WebP image.
    """
    data = _read(upload)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("Foto terlalu besar (lebih dari 10 MB). Kirim foto yang lebih kecil."))
    if not data:
        raise ValidationError(_("Berkas foto kosong."))
    with open_image(data) as img:
        fmt = img.format
        exif_time, lat, lon = read_exif(img)
        try:
            phash = str(imagehash.phash(img))
        except (OSError, ValueError):
            raise ValidationError(
                _("Berkas ini bukan foto yang bisa dibaca. Kirim foto JPEG, PNG, atau WebP.")) from None
    content_type, ext = FORMATS[fmt]
    return PreparedPhoto(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content_type=content_type,
        ext=ext,
        phash=phash,
        exif_time=exif_time,
        latitude=lat,
        longitude=lon,
    )


def flag_duplicate(result_id: int, matches: list[dict], *, user=None, reason: str = "") -> None:
    """Add ``foto_duplikat`` to the uploader's result only, keeping tallies right; ``matches`` (the
    other TPS's photos) go into the change record for a koordinator to judge. Other TPS are untouched."""
    for result in (
        TpsResult.objects.select_for_update(of=("self",))
        .filter(pk=result_id)
        .select_related("election")  # of=self: never lock the election row every TPS shares
    ):
        if PHOTO_DUPLICATE in result.flags:
            record_change(user=user, obj=result, code=result.code, election_slug=result.election.slug,
                          action="results.photo_duplicate", before=None, after={"matches": matches},
                          reason=reason)
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
            after={"flags": result.flags, "matches": matches},
            reason=reason,
        )


def store(result: TpsResult, prepared: PreparedPhoto, page: int, *, user=None, submission=None,
          name: str | None = None) -> Photo:
    """Save one checked photo for ``result`` (inside the caller's transaction) and catch reuse.

    The same bytes for the same TPS page are stored once (a retried upload returns the first Photo).
    ``name``: the bytes are already in the storage under that name (a direct upload): not written again.
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
    if name is None:
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
    matches = duplicates.find_similar(result, prepared.phash)
    duplicates.index_photo(photo, result.election_id, result.code)
    if matches:
        with transaction.atomic():
            flag_duplicate(
                result.pk,
                matches,
                user=user,
                reason=_("Foto halaman %(page)s mirip foto TPS lain: %(list)s. Koordinator memeriksa.")
                % {"page": page, "list": ", ".join(f"{m['code']} hlm {m['page']}" for m in matches[:10])},
            )
    return photo
