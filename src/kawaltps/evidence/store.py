"""Keep checked evidence: ``save(prepared, election=..., code=..., purpose=..., user=...)``.

Content-addressed: the original bytes go to ``evidence/<election>/<sha[:2]>/<sha>.<ext>`` through
``default_storage`` (local files or S3), an image's display copy (``rules.display_copy``) beside
it. The same bytes in the same election are one row: a retried upload returns the first copy.
Call inside the caller's transaction; the audit record is written there too.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from kawaltps.audit.services import record_change

from .models import EvidenceFile, display_path, original_path
from .rules import Prepared, display_copy, prepare  # noqa: F401  (prepare re-exported for callers)


def save(prepared: Prepared, *, election, code: str, purpose: str, user=None) -> tuple[EvidenceFile, bool]:
    """Store one checked file; returns (the EvidenceFile, whether it was new)."""
    existing = EvidenceFile.objects.filter(election=election, sha256=prepared.sha256).first()
    if existing:
        return existing, False
    ev = EvidenceFile(election=election, code=code, purpose=purpose, kind=prepared.kind,
                      content_type=prepared.content_type, size=prepared.size, sha256=prepared.sha256,
                      phash=prepared.phash, exif_time=prepared.exif_time, exif_latitude=prepared.latitude,
                      exif_longitude=prepared.longitude,
                      uploaded_by=user if getattr(user, "pk", None) else None)
    name = original_path(ev, f"x.{prepared.ext}")
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(prepared.data))
    ev.original.name = name
    if prepared.kind == EvidenceFile.Kind.IMAGE:
        shown = display_path(ev, "x.jpg")
        if not default_storage.exists(shown):
            shown = default_storage.save(shown, ContentFile(display_copy(prepared.data)))
        ev.display.name = shown
    ev.save()
    record_change(user=user, obj=ev, code=code, election_slug=election.slug, action="evidence_stored",
                  after={"purpose": purpose, **ev.fingerprint()})
    return ev, True
