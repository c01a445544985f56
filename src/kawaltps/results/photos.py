"""Photos of C.Hasil pages: checked on the server, stored with their fingerprints, reuse caught.

- Type, size, pixel bound, SHA-256, EXIF and perceptual hash: the one set of evidence rules in
  ``kawaltps.evidence.rules`` (JPEG/PNG/WebP decoded completely, at most 10 MB and 50 million
  pixels judged from the header). Errors are Indonesian ``ValidationError``s; nothing is stored.
- Stored through Django's ``default_storage`` (local files or S3) at
  ``chasil/<election>/<tps>/<sha256>.<ext>`` with SHA-256, size, EXIF time (``DateTimeOriginal``,
  read as local time of ``settings.TIME_ZONE``) and EXIF GPS position. EXIF is the phone's claim,
  not a requirement: a missing, corrupt or absurd EXIF block (a GPS rational over zero, a year 1,
  a latitude of 400°) gives no time/position and never refuses the photo or raises.
- Duplicates (``duplicates.py``, its hash in ``layouthash.py``): a photo within Hamming distance
  ``duplicates.DUPLICATE_DISTANCE`` of a photo already stored for ANOTHER TPS of the same election
  is the same or a nearly identical picture (found through the band index of ``duplicates.py``).
  Rule (who gets the flag): only the TPS the photo was just uploaded to gets ``foto_duplikat``;
  the matching TPS are listed in that TPS's change record (``after.matches``: code and page) for
  a koordinator to judge. An upload never writes a flag
  onto another TPS, so nobody can flag a TPS they have no right to write by uploading a copy of
  its photo to their own.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from kawaltps.audit.services import record_change
from kawaltps.evidence import rules as evidence
from kawaltps.evidence.rules import MAX_PIXELS, open_image, read_exif  # noqa: F401  (the shared rules)

from . import duplicates
from .checks import PHOTO_DUPLICATE
from .models import Photo, TpsResult, photo_path
from .tally import apply_change, contribution

MAX_BYTES = evidence.MAX_IMAGE_BYTES
FORMATS = evidence.IMAGE_FORMATS

PreparedPhoto = evidence.Prepared


def prepare(upload) -> PreparedPhoto:
    """Read and check one uploaded photo (a Django UploadedFile, a file object or bytes) by the
    evidence rules (``kawaltps.evidence.rules``): over 10 MB, over ``MAX_PIXELS`` or not a
    complete JPEG, PNG or WebP image raises ``ValidationError`` (Indonesian)."""
    return evidence.prepare(upload)


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
          document: str = "salinan", name: str | None = None) -> Photo:
    """Save one checked photo for ``result`` (inside the caller's transaction) and catch reuse.

    The same bytes for the same TPS page are stored once (a retried upload returns the first Photo).
    ``name``: the bytes are already in the storage under that name (a direct upload): not written again.
    """
    existing = Photo.objects.filter(result=result, page=page, document=document, sha256=prepared.sha256).first()
    if existing:
        return existing
    photo = Photo(
        result=result,
        submission=submission,
        page=page,
        document=document,
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
        after={"page": page, "document": document, "sha256": prepared.sha256, "size": prepared.size,
               "phash": prepared.phash},
    )
    h = duplicates.photo_hash(prepared)
    matches = duplicates.find_similar(result, h)
    duplicates.index_hash(photo, result.election_id, result.code, h)
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
