"""Near-duplicate photos through the band index: found within distance 3, one election only,
the matching TPS named, a koordinator's dismissal with a reason (audited) clears the flag."""

import datetime
import random

import pytest
from django.db import connection

from kawaltps.audit.models import ChangeRecord
from kawaltps.elections.models import Election
from kawaltps.regions.models import TPS
from kawaltps.results import duplicates, services
from kawaltps.results.models import DismissedMatch, Photo, PhotoHash, TpsResult

from .conftest import make_jpeg
from .test_tally import folded_rows

A, B, C = "3175081001001", "3175081001002", "3171011001001"


def flip(h: int, *bits: int) -> int:
    for b in bits:
        h ^= 1 << b
    return h


def put_hash(election, code: str, h: int, page: int = 1) -> Photo:
    """A stored photo of ``code`` whose perceptual hash is ``h`` (the index row as store() writes it)."""
    result = services.result_for(election, TPS.objects.get(election=election, code=code))
    photo = Photo.objects.create(result=result, page=page, file=f"x/{h:016x}.jpg", content_type="image/jpeg",
                                 size=1, sha256=f"{h:064x}", phash=f"{h:016x}")
    duplicates.index_hash(photo, election.pk, code, h)
    return photo


def test_bands_and_signed_roundtrip():
    h = 0xFEDCBA9876543210
    b0, b1 = duplicates.bands(h)
    assert b0 | b1 == h and b0 & b1 == 0 and b0 == h & duplicates.BAND_MASK
    assert duplicates.BAND_MASK.bit_count() == 32  # two halves of 32 bits
    near = duplicates.neighbours(b0, duplicates.BAND_MASK)
    assert len(set(near)) == 33 and all(duplicates.distance(v, b0) <= 1 and v & ~duplicates.BAND_MASK == 0
                                        for v in near)
    assert duplicates.as_int(duplicates.signed(h)) == h == duplicates.as_int("fedcba9876543210")
    assert duplicates.signed(h) < 0 and duplicates.signed(h) & 0xFFFFFFFFFFFFFFFF == h
    assert duplicates.distance(duplicates.signed(h), h) == 0


def test_every_match_within_three_bits_is_found_whatever_the_bands(small_election):
    rng = random.Random(5)
    base = rng.getrandbits(64)
    put_hash(small_election, B, base)
    band0 = [k for k in range(64) if duplicates.BAND_MASK >> k & 1]
    band1 = [k for k in range(64) if not duplicates.BAND_MASK >> k & 1]
    cases = [rng.sample(range(64), rng.randint(0, 3)) for _ in range(30)]
    # the worst cases: three bits in one band, two in one and one in the other
    cases += [rng.sample(band0, 3), rng.sample(band1, 3), rng.sample(band0, 2) + rng.sample(band1, 1),
              rng.sample(band0, 1) + rng.sample(band1, 2)]
    for bits in cases:
        got = duplicates.find_matches(small_election.pk, A, flip(base, *bits))
        assert [m["code"] for m in got] == [B] and got[0]["distance"] == len(bits), bits
    # four bits: beyond the threshold, whether a candidate (3 + 1: a band one bit off) or not (2 + 2)
    assert duplicates.find_matches(small_election.pk, A, flip(base, *band0[:3], band1[0])) == []
    assert len(list(duplicates.candidates(small_election.pk, flip(base, *band0[:3], band1[0])))) == 1
    assert duplicates.find_matches(small_election.pk, A, flip(base, *band0[:2], *band1[:2])) == []
    assert list(duplicates.candidates(small_election.pk, flip(base, *band0[:2], *band1[:2]))) == []
    # the TPS's own photos never match it
    assert duplicates.find_matches(small_election.pk, B, base) == []
    with pytest.raises(ValueError):  # the index cannot answer farther: refused, not half-answered
        duplicates.find_matches(small_election.pk, A, base, max_distance=4)


def test_hashes_sharing_a_layout_are_found_and_told_apart(small_election):
    """Hashes that agree on most bits (one printed layout): exactly those within 3 are found."""
    rng = random.Random(11)
    layout = rng.getrandbits(64)
    query = flip(layout, *rng.sample(range(64), 6))
    stored = {}
    for i in range(40):  # photos of B: the layout with 4-8 of its bits changed, and near copies of the query
        h = flip(layout, *rng.sample(range(64), rng.choice((4, 6, 8)))) if i % 4 else \
            flip(query, *rng.sample(range(64), i % 5))
        stored[put_hash(small_election, B, h, page=1 + i % 2).pk] = h
    expected = {pk for pk, h in stored.items() if duplicates.distance(h, query) <= 3}
    assert 3 <= len(expected) < len(stored)
    got = duplicates.find_matches(small_election.pk, A, query)
    assert {m["photo"] for m in got} == expected
    assert all(m["distance"] == duplicates.distance(stored[m["photo"]], query) for m in got)


def test_search_is_limited_to_one_election(small_election):
    other = Election.objects.create(slug="lain", name="Lain", kind=small_election.kind, date=datetime.date(2024, 2, 14),
                                    scope_id="31", form_type=small_election.form_type)
    TPS.objects.create(election=other, code=C, kelurahan_id="3171011001", number=1, dpt_l=250, dpt_p=250,
                       dpt=500)
    put_hash(other, C, 0x1234)
    assert duplicates.find_matches(small_election.pk, A, 0x1234) == []
    assert [m["code"] for m in duplicates.find_matches(other.pk, A, 0x1234)] == [C]


def test_the_query_is_answered_by_the_band_indexes(small_election):
    """Never a scan of every hash: the plan of the candidate query uses the two band indexes."""
    result = services.result_for(small_election, TPS.objects.get(election=small_election, code=B))
    rng = random.Random(1)
    hashes = [rng.getrandbits(64) for _ in range(5000)]  # enough rows for the planner to prefer a band
    photos = Photo.objects.bulk_create(
        Photo(result=result, page=1, file=f"x/{h:016x}.jpg", content_type="image/jpeg", size=1, sha256=f"{h:064x}",
              phash=f"{h:016x}") for h in hashes)
    PhotoHash.objects.bulk_create(
        PhotoHash(photo=p, election=small_election, code=B, page=1, phash=duplicates.signed(h),
                  b0=duplicates.signed(duplicates.bands(h)[0]), b1=duplicates.signed(duplicates.bands(h)[1]))
        for p, h in zip(photos, hashes, strict=True))
    sql, params = duplicates.candidate_sql(small_election.pk, 0xABCDEF0123456789, 3)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ANALYZE results_photohash")  # the statistics that tell a band is selective
            cur.execute("SET LOCAL enable_seqscan = off")  # a small table; the plan's shape is what counts
            cur.execute("EXPLAIN " + sql, params)
        else:
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(r) for r in cur.fetchall())
    for i in range(2):
        assert f"photohash_band{i}" in plan, plan
    assert "SCAN results_photohash" not in plan and "Seq Scan" not in plan


def test_copy_of_a_photo_is_flagged_and_names_the_tps(client, small_election, users):
    original = make_jpeg(seed=9)
    services.add_photo(users["clerk"], small_election, B, 1, original)
    import io

    from PIL import Image

    img = Image.open(io.BytesIO(original))
    out = io.BytesIO()
    img.resize((img.width // 2, img.height // 2)).save(out, "JPEG", quality=70)  # re-saved at half size
    copy = services.add_photo(users["saksi"], small_election, A, 1, out.getvalue())
    assert TpsResult.objects.get(code=A).flags == ["foto_duplikat"]
    client.force_login(users["koordinator"])
    page = client.get(f"/hasil/tps/{A}/?pemilihan=uji").content.decode()
    assert "Foto mirip foto TPS lain" in page and f"TPS {B}" in page and "Bukan duplikat" in page
    assert f'data-photo="{copy.pk}"' in page


@pytest.fixture
def flagged(small_election, users):
    original = make_jpeg(seed=4)
    theirs = services.add_photo(users["clerk"], small_election, B, 1, original)
    mine = services.add_photo(users["saksi"], small_election, A, 1, original)
    assert TpsResult.objects.get(code=A).flags == ["foto_duplikat"]
    return mine, theirs


def dismiss(client, user, mine, theirs, reason="Dua TPS berbeda; formulir sama tata letaknya"):
    client.force_login(user)
    return client.post(f"/hasil/tps/{A}/foto/{mine.pk}/bukan-duplikat/?pemilihan=uji",
                       {"other": theirs.pk, "reason": reason})


def test_koordinator_dismisses_a_false_match_with_a_reason(client, small_election, users, flagged):
    mine, theirs = flagged
    r = dismiss(client, users["koordinator"], mine, theirs)
    assert r.status_code == 302
    result = TpsResult.objects.get(code=A)
    assert result.flags == [] and not result.flagged
    assert folded_rows(small_election)["31"]["tps_flagged"] == 0
    rec = ChangeRecord.objects.get(action="results.duplicate_dismissed")
    assert rec.user == users["koordinator"] and rec.reason.startswith("Dua TPS berbeda") and rec.code == A
    assert rec.before == {"flags": ["foto_duplikat"]} and rec.after["other_tps"] == B
    assert DismissedMatch.objects.count() == 2  # both directions
    page = client.get(f"/hasil/tps/{A}/?pemilihan=uji").content.decode()
    assert "Foto mirip foto TPS lain" not in page and "Dua TPS berbeda" in page  # history shows the reason
    # the dismissed pair is not reported again, in either direction
    h_mine, h_theirs = (PhotoHash.objects.get(photo=p).phash for p in (mine, theirs))
    assert duplicates.find_matches(small_election.pk, A, h_mine, photo_id=mine.pk) == []
    assert duplicates.find_matches(small_election.pk, B, h_theirs, photo_id=theirs.pk) == []


def test_dismissal_needs_a_reason(client, small_election, users, flagged):
    mine, theirs = flagged
    r = dismiss(client, users["koordinator"], mine, theirs, reason="   ")
    assert r.status_code == 302
    assert TpsResult.objects.get(code=A).flags == ["foto_duplikat"]
    assert not DismissedMatch.objects.exists()
    assert not ChangeRecord.objects.filter(action="results.duplicate_dismissed").exists()
    page = client.get(r.url).content.decode()
    assert "Tuliskan alasan" in page


@pytest.mark.parametrize("who", ["saksi", "observer", "clerk", "legal", "trainer"])
def test_only_a_koordinator_of_the_tps_may_dismiss(client, small_election, users, flagged, who, make_user):
    mine, theirs = flagged
    r = dismiss(client, users[who], mine, theirs)
    assert r.status_code == 403
    assert TpsResult.objects.get(code=A).flags == ["foto_duplikat"] and not DismissedMatch.objects.exists()


def test_koordinator_elsewhere_may_not_dismiss(client, small_election, users, flagged, make_user):
    mine, theirs = flagged
    r = dismiss(client, make_user("koord-jakpus", "koordinator", "3171"), mine, theirs)
    assert r.status_code == 403 and not DismissedMatch.objects.exists()
    page = client.get(f"/hasil/tps/{A}/?pemilihan=uji")
    assert page.status_code == 403


def test_a_photo_that_is_no_match_cannot_be_dismissed(client, small_election, users, flagged):
    """Only a current match may be dismissed: any other photo id (here a photo of a third TPS that
    looks nothing alike) is refused, nothing is written, and its TPS is not named."""
    mine, _theirs = flagged
    unrelated = put_hash(small_election, "3171011001001", 0x0123456789ABCDEF)
    r = dismiss(client, users["koordinator"], mine, unrelated)
    assert r.status_code == 302
    assert not DismissedMatch.objects.exists()
    assert not ChangeRecord.objects.filter(action="results.duplicate_dismissed").exists()
    page = client.get(r.url).content.decode()
    assert "bukan kemiripan foto ini" in page and "3171011001001" not in page


def test_the_migration_recomputes_the_bands_from_the_stored_hash(small_election):
    """0006 cuts the new bands out of each stored hash in SQL (no photo read again), as index_hash does."""
    import importlib

    step = importlib.import_module("kawaltps.results.migrations.0006_photohash_two_32bit_bands")
    assert step.MASK == duplicates.BAND_MASK
    hashes = [0xFEDCBA9876543210, 0x0123456789ABCDEF, (1 << 64) - 1, 1 << 63]
    photos = [put_hash(small_election, B, h, page=1 + i) for i, h in enumerate(hashes)]
    PhotoHash.objects.update(b0=0, b1=0)  # the old layout's values
    step.recompute_bands_on(connection)
    for photo, h in zip(photos, hashes, strict=True):
        row = PhotoHash.objects.get(photo=photo)
        assert (row.b0, row.b1) == tuple(duplicates.signed(b) for b in duplicates.bands(h))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_the_index_hash_comes_from_the_checked_pixels_unchanged(small_election, users, fmt):
    """One decode: the hash indexed for a stored photo is ``layout_hash`` of its bytes, bit for bit
    (a JPEG big enough to be decoded at 1/4 scale included)."""
    import io

    from PIL import Image

    from kawaltps.evidence import rules
    from kawaltps.results.layouthash import layout_hash

    img = Image.open(io.BytesIO(make_jpeg(seed=7, size=(1100, 1500))))
    out = io.BytesIO()
    img.save(out, fmt)
    data = out.getvalue()
    prepared = rules.prepare(data)
    if fmt == "JPEG":
        assert prepared.grey.size == (275, 375)  # decoded at 1/4 scale
    assert duplicates.photo_hash(prepared) == layout_hash(data)
    photo = services.add_photo(users["clerk"], small_election, B, 1, data)
    assert duplicates.as_int(PhotoHash.objects.get(photo=photo).phash) == layout_hash(data)
