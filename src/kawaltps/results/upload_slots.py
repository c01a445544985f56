"""Upload slots in the C.Hasil submission itself (issue 15: presigned flows at 500/s).

``POST /api/results/submissions`` may carry ``photos: [{client_id, page}]``; the answer then has
``uploads``: per photo what ``POST /photos/presign`` answers (upload id, a fresh PUT URL while the
upload is pending, its state). A phone so needs one request to our servers per C.Hasil, not one
per photo plus one; ``done`` is optional (the workers' sweep :func:`uploads.sweep_arrived` starts
the check of an upload whose object appeared), it only speeds the check up.

Rules:
- Checked before anything is stored (a refusal stores nothing): object storage configured, at most
  ``MAX_SLOTS`` photos, each id 1–64 characters and distinct, each page one of the form's, and who
  asks may add photos to the TPS (``uploads.authorise``: ``kawaltps.access``).
- After the submission was stored or replayed, each photo gets its upload as presign gives it:
  created once per ``client_id``, a fresh URL while pending (a replayed submission renews expired
  URLs), none once checked. An id already used for another TPS or page answers that slot with
  ``error`` (Indonesian) and no URL; the acknowledged submission stays.
- The photo is accepted only by the check job (``uploads.verify``), never by this request.
"""

import uuid

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kawaltps.core import prepared

from . import uploads
from .models import PhotoUpload
from .upload_fastpath import UPLOAD_COLS, _upload
from .validation import check_client_id, check_page

MAX_SLOTS = 20
PLAIN_COLS = UPLOAD_COLS.replace("x.", "")

SLOTS_SQL = f"""
WITH v AS (SELECT * FROM unnest(%(ids)s::uuid[], %(cids)s::text[], %(pages)s::int[], %(keys)s::text[])
           AS v(id, cid, page, key)),
ins AS (INSERT INTO results_photoupload (id, client_id, election_id, code, page, key, status, reason,
                                         uploaded_by_id, created_at)
        SELECT id, cid, %(election)s, %(code)s, page, key, 'pending', '', %(user)s, %(now)s FROM v
        ON CONFLICT (client_id) DO NOTHING RETURNING {PLAIN_COLS})
SELECT {PLAIN_COLS} FROM ins
UNION ALL SELECT {UPLOAD_COLS} FROM results_photoupload x WHERE x.client_id = ANY(%(cids)s::text[])
"""  # the second part sees the rows stored before this statement; ins the ones it made


def check(user, election, code: str, photos) -> list[tuple[str, int]]:
    """``[(client_id, page)]`` of the request's ``photos``, or ``ValidationError``/``PermissionDenied``."""
    if not photos:
        return []
    uploads.authorise(user, code)
    if not uploads.available():
        raise ValidationError({"photos": _("Unggah langsung ke penyimpanan tidak tersedia di server ini; "
                                           "kirim foto bersama formulir.")})
    if len(photos) > MAX_SLOTS:
        raise ValidationError({"photos": _("Paling banyak %(n)d foto per kiriman.") % {"n": MAX_SLOTS}})
    slots = [(check_client_id(p.client_id), check_page(election, p.page)) for p in photos]
    if len({cid for cid, _page in slots}) != len(slots):
        raise ValidationError({"photos": _("Setiap foto perlu id (client_id) sendiri.")})
    return slots


def _slot(upload: PhotoUpload, election_id: int, code: str, page: int) -> dict:
    if upload.election_id != election_id or upload.code != code or upload.page != page:
        return {"client_id": upload.client_id, "page": page,
                "error": _("Id foto ini sudah dipakai untuk TPS atau halaman lain.")}
    signed = uploads._signed(upload) if upload.status == PhotoUpload.Status.PENDING and not upload.job_id else None
    return uploads.answer(upload, signed)


def orm_slots(user, election, code: str, slots: list[tuple[str, int]]) -> list[dict]:
    """The slots through :func:`uploads.presign` (SQLite, sessions): same answers."""
    out = []
    for cid, page in slots:
        try:
            upload, signed = uploads.presign(user, election, code, page, cid)
        except ValidationError as exc:
            out.append({"client_id": cid, "page": page, "error": " ".join(exc.messages)})
            continue
        out.append(uploads.answer(upload, signed))
    return out


def fast_slots(user, election, code: str, slots: list[tuple[str, int]]) -> list[dict]:
    """All slots in one statement (PostgreSQL); an id its twin inserted meanwhile takes the ORM path."""
    if not slots:
        return []
    cids = [cid for cid, _page in slots]
    with prepared.cursor() as cur:
        cur.execute(SLOTS_SQL, {
            "ids": [uuid.uuid4() for _s in slots], "cids": cids, "pages": [page for _cid, page in slots],
            "keys": [uploads.new_key(election.pk, code) for _s in slots],
            "election": election.pk, "code": code, "user": user.pk, "now": timezone.now()})
        found = {u.client_id: u for u in map(_upload, cur.fetchall())}
    out = []
    for cid, page in slots:
        upload = found.get(cid)
        out.append(_slot(upload, election.pk, code, page) if upload is not None
                   else orm_slots(user, election, code, [(cid, page)])[0])
    return out
