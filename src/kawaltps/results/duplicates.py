"""Near-duplicate photos at national scale: an index in the database, never a scan of every hash.

Multi-index hashing: the photo's 64-bit hash (``layouthash.layout_hash``: a perceptual hash of
the page's mid frequencies; why not the plain pHash is said there) is cut into two 32-bit bands,
``BAND_MASK`` and its complement, each an indexed column of ``PhotoHash`` (with the election
first). Candidates are the rows of the same election whose band is within ONE bit of the new
photo's band: per band 33 values (the band itself and its 32 one-bit neighbours) looked up in the
index, both bands in one statement (UNION ALL); each candidate is then checked exactly (Hamming
distance, inside the index scan on PostgreSQL).

Exactness (pigeonhole over two bands): the bands split the 64 bits into two disjoint halves, so
for two hashes d = d0 + d1 (the distances within each half). d ≤ 3 forces min(d0, d1) ≤ 1: one
band is equal or one bit off, which is exactly what is looked up. This holds for ANY 64-bit
hashes, whatever the bits' frequencies; nothing relies on the hashes having 32 ones.

Why two bands of 32 and not four of 16: every C.Hasil page shares one printed layout, so many bits
of ``layout_hash`` are nearly constant over forms (measured: 12 of 64 bits are one value in ≥ 90 %
of 300 generated forms). Four 16-bit bands then make 0.54 % of pairs of different forms candidates:
thousands of rows per search at 2.4 million hashes. Two 32-bit bands within one bit: 0.0022 %
(docs/photos.md, ``bench/photos_false_matches.py``), for 66 index descents instead of 4.

``BAND_MASK`` (which bits form band 0) is fixed: chosen from the per-bit frequencies of the hash
on 300 generated forms (``bench/photos_false_matches.py --forms 300`` prints it as
``balanced_band_mask``) so both halves carry the same entropy and neighbouring DCT coefficients
(correlated) are spread over both bands. Changing it needs a migration that recomputes the bands.

Why distance 3: measured on 200 generated C.Hasil photos that share one printed layout
(``bench/photos_false_matches.py``, numbers in docs/photos.md): distances are even (32 ones per
hash), so 3 means 2; at 2, 97 % of re-saved and half-size copies are caught and none of 19,900
pairs of DIFFERENT forms matches (the nearest were 6 apart). Distance 4 or 5 would need two-bit
neighbours (529 values per band). Crops and screenshots move any global hash too far (SHA-256
still catches the exact file).

Rules: search within one election; a TPS's own photos never match it; a pair a koordinator
dismissed (``DismissedMatch``, with a reason, audited) is never reported again.
"""

from django.db import connection, transaction
from django.utils.translation import gettext as _

from kawaltps.audit.services import record_change

from .checks import PHOTO_DUPLICATE
from .layouthash import layout_hash, layout_hash_of_image
from .models import DismissedMatch, Photo, PhotoHash, TpsResult
from .tally import apply_change, contribution

DUPLICATE_DISTANCE = 3
FULL = 0xFFFFFFFFFFFFFFFF
# Band 0 = these 32 bits of the hash, band 1 = the other 32 (see the module docstring).
BAND_MASK = 0x996012DDB7638EE1
BAND_MASKS = (BAND_MASK, FULL ^ BAND_MASK)
BANDS = len(BAND_MASKS)
BAND_RADIUS = DUPLICATE_DISTANCE // BANDS  # 1: some band of a match within 3 is this close


def bands(phash: int) -> tuple[int, ...]:
    """The bands of a 64-bit hash (unsigned), each the hash with the other band's bits cleared."""
    return tuple(phash & m for m in BAND_MASKS)


def neighbours(value: int, mask: int) -> list[int]:
    """``value`` (a band) and every value one bit of ``mask`` away from it (33 for 32 bits)."""
    return [value] + [value ^ (1 << k) for k in range(64) if mask >> k & 1]


def signed(phash: int) -> int:
    """The unsigned 64-bit hash as the signed integer a BIGINT column holds."""
    return phash - (1 << 64) if phash >= 1 << 63 else phash


def as_int(phash: str | int) -> int:
    """A hash as the unsigned 64-bit integer (from hex, or from the signed column value)."""
    return int(phash, 16) if isinstance(phash, str) else phash & FULL


def distance(a: int, b: int) -> int:
    return ((a ^ b) & FULL).bit_count()


def photo_hash(prepared) -> int:
    """The index hash of a checked photo (``evidence.rules.Prepared``), from the grey pixels the
    check already decoded (the same pixels ``layout_hash(data)`` decodes: one decode, not three)."""
    return layout_hash_of_image(prepared.grey) if prepared.grey is not None else layout_hash(prepared.data)


def index_hash(photo: Photo, election_id: int, code: str, h: int) -> PhotoHash:
    """Add ``photo`` with hash ``h`` (unsigned 64-bit, ``photo_hash``) to the index. Idempotent."""
    b0, b1 = (signed(b) for b in bands(h))
    row, _created = PhotoHash.objects.update_or_create(
        photo=photo, defaults={"election_id": election_id, "code": code, "page": photo.page,
                               "phash": signed(h), "b0": b0, "b1": b1})
    return row


def candidate_sql(election_id: int, phash: int, max_distance: int | None = None) -> tuple[str, list]:
    """The one statement that finds the candidates (see :func:`candidates`): per band one index
    scan over its 33 values (``b_i IN (…)``), the two as UNION ALL (so no planner can turn them into
    a scan of the election's rows). Hand-written: the ORM took longer to build it than PostgreSQL
    to answer it (1.3 ms against 0.4 ms, measured at 2.4 million hashes)."""
    exact_up_to = BANDS * (BAND_RADIUS + 1) - 1  # 3: a farther match may have both bands 2 bits off
    if max_distance is not None and max_distance > exact_up_to:
        raise ValueError(f"the band index is exact up to distance {exact_up_to}")
    check = max_distance is not None and connection.vendor == "postgresql"
    parts, params = [], []
    for i, (value, mask) in enumerate(zip(bands(phash), BAND_MASKS, strict=True)):
        values = [signed(v) for v in neighbours(value, mask)]
        sql = (f"SELECT photo_id, phash FROM {PhotoHash._meta.db_table} WHERE election_id = %s "
               f"AND b{i} IN ({', '.join(['%s'] * len(values))})")
        params += [election_id, *values]
        if check:  # in the index-only scan: each band index also holds phash and photo_id
            sql += " AND bit_count(int8send(phash # %s)) <= %s"
            params += [signed(phash), max_distance]
        parts.append(sql)
    return " UNION ALL ".join(parts), params


def candidates(election_id: int, phash: int, max_distance: int | None = None) -> list[tuple[int, int]]:
    """Rows ``(photo_id, phash)`` of the election whose band 0 or band 1 is within ``BAND_RADIUS``
    (one bit) of ``phash``'s; a row may come twice (both bands close). With ``max_distance`` on
    PostgreSQL only those within it (the Hamming check runs inside the index scan)."""
    with connection.cursor() as cur:
        cur.execute(*candidate_sql(election_id, phash, max_distance))
        return cur.fetchall()


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


def find_similar(result, h: int) -> list[dict]:
    """Matches for a photo (index hash ``h``, ``photo_hash``) about to be stored for ``result``:
    ``[{"code", "page"}]`` (one per TPS page)."""
    seen = {(m["code"], m["page"]) for m in find_matches(result.election_id, result.code, h)}
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
