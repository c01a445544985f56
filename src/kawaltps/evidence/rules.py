"""The rules every piece of evidence passes: C.Hasil photos, D.Hasil files, incident photos and video.

- **Type** is decided on the server from the bytes, never from the file name or the browser's
  content type. An image must decode completely with Pillow as one of ``IMAGE_FORMATS`` (JPEG,
  PNG, WebP). A JPEG is decoded with libjpeg's DCT scaling (``HASH_DRAFT``: 1/2-1/8 of the size,
  grey): every byte of its compressed data is still read and entropy-decoded, so a truncated or
  broken file is refused exactly as by a full-size decode (``tests/evidence``: same verdicts on
  truncations and corruptions); only the pixels come out smaller, ~8× faster on a 12 MP photo.
  A video is judged by its container signature (``VIDEO_SIGNATURES``: the ISO-BMFF ``ftyp`` box
  of MP4/MOV/3GP, the EBML header of WebM/Matroska); it is not decoded on the server.
- **Size**: images at most ``MAX_IMAGE_BYTES`` (10 MB), videos at most ``MAX_VIDEO_BYTES``
  (100 MB, ``settings.KAWALTPS_MAX_VIDEO_MB`` overrides), checked from the upload's declared size
  before a byte is read, then from the bytes.
- **Pixels**: at most ``MAX_PIXELS`` (50 million), judged from the header before decoding, so a
  decompression bomb (a 13,000 × 13,000 PNG of 519 KB) costs nothing.
- **Fingerprints**: SHA-256 of the original bytes; for images the EXIF time (``DateTimeOriginal``,
  local time of ``settings.TIME_ZONE``) and GPS position, and a 64-bit perceptual hash
  (``imagehash.phash``, of the grey pixels above: it shrinks the page to 32 × 32 anyway; measured
  equal to the hash of the full-size decode on generated 12 MP photos, ``bench/photos_verify.py``).
  The grey pixels stay in ``Prepared.grey`` for the duplicate index's hash (decoded once). EXIF is
  the phone's claim: a missing, corrupt or absurd block gives ``None``, never an error.
- **Display copy**: an image is re-encoded (JPEG, at most ``DISPLAY_SIZE`` px on the long side,
  without EXIF) for showing in pages; the original is kept byte for byte.

Errors are ``ValidationError`` in Indonesian; callers store nothing when one is raised.
Public API: :func:`prepare`, :func:`open_image`, :func:`decode_image`, :func:`read_exif`, :func:`sniff_video`,
:func:`display_copy`, :class:`Prepared`.
"""

import datetime
import hashlib
import io
import math
import struct
import warnings
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_VIDEO_BYTES = 100 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 50 MP phone photo; RGB decoded that is 150 MB of memory at most
DISPLAY_SIZE = 1600
HASH_DRAFT = (256, 256)  # a JPEG is decoded at the smallest DCT scale keeping both sides ≥ this
GREY_KEPT_PIXELS = 4_000_000  # a larger grey image (a big PNG) is not kept in Prepared: memory
IMAGE_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
# ISO-BMFF brands (bytes 8..12 after "ftyp" at 4..8) and the EBML magic of Matroska/WebM.
VIDEO_BRANDS = {b"qt  ": ("video/quicktime", "mov"), b"3gp4": ("video/3gpp", "3gp"),
                b"3gp5": ("video/3gpp", "3gp"), b"3gp6": ("video/3gpp", "3gp")}
MP4 = ("video/mp4", "mp4")
EBML = b"\x1a\x45\xdf\xa3"
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, DATETIME = 36867, 306


@dataclass(frozen=True)
class Prepared:
    """One checked file: its bytes and what the server knows about them."""

    kind: str  # "image" or "video"
    data: bytes
    sha256: str
    size: int
    content_type: str
    ext: str
    phash: str = ""
    exif_time: datetime.datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    width: int | None = None
    height: int | None = None
    # the decoded image in grey (a JPEG at DCT scale, see HASH_DRAFT), for hashes; never stored;
    # None above GREY_KEPT_PIXELS (hashes then decode the bytes again)
    grey: Image.Image | None = field(default=None, repr=False, compare=False)


def _too_big_image() -> ValidationError:
    return ValidationError(_("Foto terlalu besar (lebih dari 10 MB). Kirim foto yang lebih kecil."))


def max_video_bytes() -> int:
    """``settings.KAWALTPS_MAX_VIDEO_MB`` (MB) when set, else ``MAX_VIDEO_BYTES``."""
    from django.conf import settings

    mb = getattr(settings, "KAWALTPS_MAX_VIDEO_MB", None)
    return int(float(mb) * 1024 * 1024) if mb else MAX_VIDEO_BYTES


def _too_big_video() -> ValidationError:
    from django.conf import settings

    mb = float(getattr(settings, "KAWALTPS_MAX_VIDEO_MB", None) or MAX_VIDEO_BYTES // 1024 // 1024)
    return ValidationError(_("Video terlalu besar (lebih dari %(mb)s MB). Kirim video yang lebih pendek.")
                           % {"mb": f"{mb:g}".replace(".", ",")})


def read_upload(upload, limit: int, too_big) -> bytes:
    """The bytes of an UploadedFile, file object or bytes, at most ``limit``; ``too_big()`` is raised
    from the declared size before reading, and again when the bytes run over."""
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        if getattr(upload, "size", None) is not None and upload.size > limit:
            raise too_big()
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_big()
    return data


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


def open_image(data: bytes, formats=tuple(IMAGE_FORMATS)) -> Image.Image:
    """The decoded image in ``data``, or ``ValidationError`` (Indonesian) when it is not one of
    ``formats``, has more than ``MAX_PIXELS`` pixels (judged from the header, before decoding),
    or does not decode completely."""
    return decode_image(data, formats)[0]


def decode_image(data: bytes, formats=tuple(IMAGE_FORMATS),
                 draft: tuple[int, int] | None = None) -> tuple[Image.Image, tuple[int, int]]:
    """:func:`open_image`, and the size the header declares. ``draft``: a JPEG is decoded in grey
    at the smallest DCT scale keeping both sides at least this (all its data is still decoded, so
    the same files are refused); the image's ``size`` is then that reduced size."""
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
            if draft is not None and img.format == "JPEG":
                img.draft("L", draft)
            img.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(_("Foto terlalu besar: paling banyak %(max)s juta piksel.")
                              % {"max": MAX_PIXELS // 1_000_000}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error, MemoryError):
        raise ValidationError(unreadable, code="unreadable") from None
    return img, (width, height)


def sniff_video(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) when ``data`` starts like a video container, else ``None``.

    MP4/MOV/3GP: bytes 4..8 are ``ftyp`` and the box size (bytes 0..4) is 8..4096; WebM/Matroska:
    the EBML magic ``1A 45 DF A3``. A signature proves the container, not that every frame plays."""
    if len(data) >= 12 and data[4:8] == b"ftyp" and 8 <= int.from_bytes(data[:4], "big") <= 4096:
        return VIDEO_BRANDS.get(data[8:12], MP4)
    if data.startswith(EBML):
        return ("video/webm", "webm") if b"webm" in data[:64] else ("video/x-matroska", "mkv")
    return None


def prepare_image(data: bytes) -> Prepared:
    """Check one image already read into memory (see the module rules)."""
    if not data:
        raise ValidationError(_("Berkas foto kosong."))
    if len(data) > MAX_IMAGE_BYTES:
        raise _too_big_image()
    import imagehash  # numpy and scipy: imported on the first photo, not at every command's start-up

    img, (width, height) = decode_image(data, draft=HASH_DRAFT)
    with img:
        fmt = img.format
        exif_time, lat, lon = read_exif(img)
        try:
            grey = img.convert("L")  # a new image: kept after img is closed
            phash = str(imagehash.phash(grey))
        except (OSError, ValueError):
            raise ValidationError(
                _("Berkas ini bukan foto yang bisa dibaca. Kirim foto JPEG, PNG, atau WebP.")) from None
    content_type, ext = IMAGE_FORMATS[fmt]
    return Prepared(kind="image", data=data, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                    content_type=content_type, ext=ext, phash=phash, exif_time=exif_time, latitude=lat,
                    longitude=lon, width=width, height=height,
                    grey=grey if grey.width * grey.height <= GREY_KEPT_PIXELS else None)


def prepare(upload, *, allow_video: bool = False) -> Prepared:
    """Read and check one upload (a Django UploadedFile, a file object or bytes).

    Images always; videos too when ``allow_video`` (incident evidence). Raises ``ValidationError``
    (Indonesian) for an empty file, an image over 10 MB or ``MAX_PIXELS``, a video over 100 MB, or
    anything that is neither a complete JPEG/PNG/WebP image nor (if allowed) a known video container.
    """
    head = upload[:16] if isinstance(upload, bytes | bytearray) else None
    if head is None and hasattr(upload, "read"):
        if hasattr(upload, "seek"):
            upload.seek(0)
        head = upload.read(16)
    video = sniff_video(head or b"") if allow_video else None
    if video:
        data = read_upload(upload, max_video_bytes(), _too_big_video)
    else:
        data = read_upload(upload, MAX_IMAGE_BYTES, _too_big_image)
    if not data:
        raise ValidationError(_("Berkas foto kosong."))
    if video:
        content_type, ext = video
        return Prepared(kind="video", data=data, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                        content_type=content_type, ext=ext)
    try:
        return prepare_image(data)
    except ValidationError as exc:
        if allow_video and exc.code == "unreadable":
            raise ValidationError(_("Berkas ini bukan foto atau video yang bisa dibaca. Kirim foto JPEG, "
                                    "PNG, atau WebP, atau video MP4, MOV, 3GP, atau WebM.")) from None
        raise


def display_copy(data: bytes) -> bytes:
    """A JPEG re-encoding of a checked image for pages: turned upright by its EXIF orientation, at
    most ``DISPLAY_SIZE`` px on its long side, without EXIF (no GPS leaks to viewers)."""
    with open_image(data) as img:
        shown = ImageOps.exif_transpose(img).convert("RGB")
        shown.thumbnail((DISPLAY_SIZE, DISPLAY_SIZE))
        out = io.BytesIO()
        shown.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()
