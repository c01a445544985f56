"""Near-duplicate photos at national scale: an index in the database, never a scan of every hash.

Multi-index hashing: the photo's 64-bit hash (``layouthash.layout_hash``: a perceptual hash of
the page's mid frequencies; why not the plain pHash is said there) is cut into four 16-bit
bands, each an indexed column of ``PhotoHash`` (with the election first). Candidates are the rows
of the same election equal to the new photo in at least one band (four index lookups, UNION ALL);
each candidate is then checked exactly (Hamming distance). Pigeonhole: two hashes that differ in
at most 3 bits agree on at least one of the 4 bands, so every match within ``DUPLICATE_DISTANCE``
= 3 is found.

Why 3: measured on 200 generated C.Hasil photos that share one printed layout
(``bench/photos_false_matches.py``, numbers in docs/photos.md): distances are even (32 ones per
hash), so 3 means 2; at 2, 97 % of re-saved and half-size copies are caught and none of 19,900
pairs of DIFFERENT forms matches (the nearest were 6 apart). 3 is what four bands guarantee.
Crops and screenshots move any global hash too far (SHA-256 still catches the exact file).

Rules: search within one election; a TPS's own photos never match it; a pair a koordinator
dismissed (``DismissedMatch``, with a reason, audited) is never reported again.
"""

from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from kawaltps.audit.services import record_change

from .checks import PHOTO_DUPLICATE
from .layouthash import layout_hash
from .models import DismissedMatch, Photo, PhotoHash, TpsResult
from .tally import apply_change, contribution

DUPLICATE_DISTANCE = 3
BANDS = 4
MASK = 0xFFFF


def bands(phash: int) -> tuple[int, int, int, int]:
    """The four 16-bit bands of a 64-bit hash, lowest bits first (contiguous: measured on the
    generated forms, each band of ``layout_hash`` collides for under 0.2 % of pairs)."""
    return tuple((phash >> (16 * i)) & MASK for i in range(BANDS))


def signed(phash: int) -> int:
    """The unsigned 64-bit hash as the signed integer a BIGINT column holds."""
    return phash - (1 << 64) if phash >= 1 << 63 else phash


def as_int(phash: str | int) -> int:
    """A hash as the unsigned 64-bit integer (from hex, or from the signed column value)."""
    return int(phash, 16) if isinstance(phash, str) else phash & 0xFFFFFFFFFFFFFFFF


def distance(a: int, b: int) -> int:
    return ((a ^ b) & 0xFFFFFFFFFFFFFFFF).bit_count()


def index_photo(photo: Photo, election_id: int, code: str, data: bytes) -> PhotoHash:
    """Add one stored photo (its checked bytes ``data``) to the index. Idempotent."""
    return index_hash(photo, election_id, code, layout_hash(data))


def index_hash(photo: Photo, election_id: int, code: str, h: int) -> PhotoHash:
    """The index row of ``photo`` with hash ``h`` (unsigned 64-bit)."""
    b = bands(h)
    row, _created = PhotoHash.objects.update_or_create(
        photo=photo, defaults={"election_id": election_id, "code": code, "page": photo.page,
                               "phash": signed(h), "b0": b[0], "b1": b[1], "b2": b[2], "b3": b[3]})
    return row


def candidates(election_id: int, phash: int, max_distance: int | None = None):
    """Rows of the election equal to ``phash`` in at least one band: four index lookups, one per
    band column, as UNION ALL (so no planner can turn them into a scan of the election's rows).

    ``(photo_id, phash)``. With ``max_distance`` on PostgreSQL the Hamming check runs in the index
    scan (``bit_count``; each band index also holds ``phash`` and ``photo_id``: index-only)."""
    parts = []
    for i, value in enumerate(bands(phash)):
        qs = PhotoHash.objects.filter(election_id=election_id, **{f"b{i}": value}).order_by()
        if max_distance is not None and connection.vendor == "postgresql":
            qs = qs.annotate(d=RawSQL("bit_count(int8send(results_photohash.phash # %s))", [signed(phash)]))
            qs = qs.filter(d__lte=max_distance)
        parts.append(qs.values_list("photo_id", "phash"))
    return parts[0].union(*parts[1:], all=True)


def find_matches(election_id: int, code: str, phash: str | int, photo_id: int | None = None,
                 max_distance: int = DUPLICATE_DISTANCE) -> list[dict]:
    """Photos of OTHER TPS of the election within ``max_distance`` of ``phash``, closest first:
    ``[{"photo", "code", "page", "distance"}]``. Pairs dismissed for ``photo_id`` are left out."""
    h = as_int(phash)
    close = {other: distance(h, value) for other, value in candidates(election_id, h, max_distance)}
    close = {other: d for other, d in close.items() if d <= max_distance}
    found = [{"photo": other, "code": other_code, "page": page, "distance": close[other]}
             for other, other_code, page in PhotoHash.objects.filter(photo_id__in=close).exclude(code=code)
             .values_list("photo_id", "code", "page")] if close else []
    if photo_id is not None and found:
        dismissed = set(DismissedMatch.objects.filter(photo_id=photo_id).values_list("other_id", flat=True))
        found = [m for m in found if m["photo"] not in dismissed]
    return sorted(found, key=lambda m: (m["distance"], m["code"], m["page"]))


def find_similar(result, data: bytes) -> list[dict]:
    """Matches for a photo (checked bytes ``data``) about to be stored for ``result``:
    ``[{"code", "page"}]`` (one per TPS page)."""
    seen = {(m["code"], m["page"]) for m in find_matches(result.election_id, result.code, layout_hash(data))}
    return [{"code": c, "page": p} for c, p in sorted(seen)]


def matches_of_result(result) -> dict[int, list[dict]]:
    """Per photo of ``result``: its current (not dismissed) matches in other TPS."""
    out = {}
    hashes = dict(PhotoHash.objects.filter(photo__result=result).values_list("photo_id", "phash"))
    for photo in result.photos.filter(pk__in=hashes):
        found = find_matches(result.election_id, result.code, hashes[photo.pk], photo_id=photo.pk)
        if found:
            out[photo.pk] = found
    return out


def dismiss(user, photo: Photo, other: Photo, reason: str) -> DismissedMatch:
    """Record that ``photo`` and ``other`` are different pictures (both directions), with the reason,
    in the TPS's history; when no match of the TPS's photos is left, ``foto_duplikat`` is removed
    (tallies kept right). The caller checks ``Action.RECONCILE_RESULT`` on the photo's TPS.

    Refused with ``ValueError`` (Indonesian) for an empty reason, photos of one TPS, or an ``other``
    that is not a current match of ``photo`` (so no photo id elsewhere can be probed or touched)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError(_("Tuliskan alasan mengapa kedua foto berbeda."))
    if photo.result.election_id != other.result.election_id or photo.result.code == other.result.code:
        raise ValueError(_("Kedua foto harus dari TPS yang berbeda dalam satu pemilihan."))
    own = PhotoHash.objects.filter(photo=photo).values_list("phash", flat=True).first()
    if own is None or other.pk not in {m["photo"] for m in find_matches(
            photo.result.election_id, photo.result.code, own, photo_id=photo.pk)}:
        raise ValueError(_("Foto itu bukan kemiripan foto ini yang masih terbuka."))
    with transaction.atomic():
        result = TpsResult.objects.select_for_update(of=("self",)).select_related("election").get(
            pk=photo.result_id)
        row, _created = DismissedMatch.objects.get_or_create(
            photo=photo, other=other, defaults={"reason": reason, "dismissed_by": user})
        DismissedMatch.objects.get_or_create(photo=other, other=photo,
                                             defaults={"reason": reason, "dismissed_by": user})
        before_flags = list(result.flags)
        left = matches_of_result(result)
        if PHOTO_DUPLICATE in result.flags and not left:
            before = contribution(result)
            result.flags = [f for f in result.flags if f != PHOTO_DUPLICATE]
            result.flagged = bool(result.flags)
            result.version += 1
            result.save(update_fields=["flags", "flagged", "version", "updated_at"])
            apply_change(before, result)
        record_change(user=user, obj=result, code=result.code, election_slug=result.election.slug,
                      action="results.duplicate_dismissed", before={"flags": before_flags},
                      after={"flags": result.flags, "photo": photo.pk, "other": other.pk,
                             "other_tps": other.result.code, "other_page": other.page}, reason=reason)
    return row
