"""Photos: type checked by opening, size limit, SHA-256/EXIF stored, reuse for another TPS flagged."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kawaltps.results import services
from kawaltps.results.models import Photo, State, TpsResult
from kawaltps.results.photos import MAX_BYTES, prepare

from .conftest import make_jpeg
from .helpers import good_form
from .test_tally import folded_rows


def test_photo_is_stored_with_fingerprints(small_election, users):
    data = make_jpeg(exif=True)
    photo = services.add_photo(users["saksi"], small_election, "3175081001001", 1,
                               SimpleUploadedFile("hasil.txt", data, content_type="text/plain"))
    assert photo.sha256 == hashlib.sha256(data).hexdigest() and photo.size == len(data)
    assert photo.content_type == "image/jpeg" and photo.file.name.endswith(".jpg")
    assert default_storage.open(photo.file.name).read() == data
    assert photo.exif_time.isoformat().startswith("2024-11-27T14:05:09")
    assert photo.exif_latitude == pytest.approx(-6.21) and photo.exif_longitude == pytest.approx(106.82)
    assert len(photo.phash) == 16
    assert TpsResult.objects.get(code="3175081001001").state == State.RECEIVED
    # the same upload again: the same Photo, not a second file
    again = services.add_photo(users["saksi"], small_election, "3175081001001", 1, data)
    assert again.pk == photo.pk and Photo.objects.count() == 1


def test_png_and_webp_are_accepted(small_election, users):
    for fmt in ("PNG", "WEBP"):
        out = io.BytesIO()
        Image.new("RGB", (64, 64), "red").save(out, fmt)
        assert prepare(out.getvalue()).content_type == f"image/{fmt.lower()}"


@pytest.mark.parametrize("data, words", [
    (b"%PDF-1.4 bukan foto", "bukan foto"),
    (b"GIF89a" + b"\x00" * 100, "bukan foto"),
    (b"", "kosong"),
])
def test_non_images_are_refused(small_election, users, data, words):
    with pytest.raises(ValidationError, match=words):
        services.add_photo(users["saksi"], small_election, "3175081001001", 1,
                           SimpleUploadedFile("foto.jpg", data, content_type="image/jpeg"))
    assert not Photo.objects.exists() and not TpsResult.objects.exists()


def test_gif_is_refused_as_wrong_type(small_election, users):
    out = io.BytesIO()
    Image.new("RGB", (32, 32), "blue").save(out, "GIF")
    with pytest.raises(ValidationError, match="JPEG, PNG, atau WebP"):
        prepare(out.getvalue())


def test_too_big_photo_is_refused(small_election, users):
    big = make_jpeg() + b"\x00" * (MAX_BYTES + 1)
    with pytest.raises(ValidationError, match="10 MB"):
        services.add_photo(users["saksi"], small_election, "3175081001001", 1, SimpleUploadedFile("b.jpg", big))
    assert not Photo.objects.exists()


def test_saksi_cannot_add_photo_to_another_tps(small_election, users):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.add_photo(users["saksi"], small_election, "3175081001002", 1, make_jpeg())
    with pytest.raises(PermissionDenied):
        services.add_photo(users["observer"], small_election, "3175081001001", 1, make_jpeg())
    assert not Photo.objects.exists()


def test_nearly_same_photo_flags_only_the_uploaders_tps_and_lists_the_match(small_election, users):
    """Rule: a near-duplicate flags the TPS it was uploaded to, never the other TPS; the match is
    listed in the change record for a koordinator to judge."""
    from kawaltps.audit.models import ChangeRecord

    votes, numbers = good_form()
    original = make_jpeg(seed=1)
    services.submit(users["clerk"], small_election, "3175081001001", "clerk_first", votes, numbers, "p1",
                    photos=[(1, original)])
    assert not TpsResult.objects.get(code="3175081001001").flagged
    # a different picture for another TPS: no flag
    services.add_photo(users["clerk"], small_election, "3175081001002", 1, make_jpeg(seed=7))
    assert not TpsResult.objects.get(code="3175081001002").flagged
    # the same picture, re-encoded smaller (different bytes), for a third TPS: only that TPS flagged
    img = Image.open(io.BytesIO(original)).resize((300, 412))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=60)
    assert hashlib.sha256(out.getvalue()).hexdigest() != hashlib.sha256(original).hexdigest()
    services.add_photo(users["clerk"], small_election, "3171011001001", 2, out.getvalue())
    flagged = dict(TpsResult.objects.filter(flagged=True).values_list("code", "flags"))
    assert flagged == {"3171011001001": ["foto_duplikat"]}
    assert folded_rows(small_election)["31"]["tps_flagged"] == 1
    record = ChangeRecord.objects.get(action="results.photo_duplicate")
    assert record.code == "3171011001001"
    assert record.after["matches"] == [{"code": "3175081001001", "page": 1}]
    assert "3175081001001" in record.reason
    # the first TPS's own correction is not touched by the match
    services.submit(users["saksi"], small_election, "3175081001001", "saksi", {**votes, "1": 0}, numbers, "p2")
    assert "foto_duplikat" not in TpsResult.objects.get(code="3175081001001").flags


def test_a_saksi_cannot_flag_another_tps_by_uploading_a_copy_of_its_photo(client, small_election, users):
    """The attack of issue 8 item 17: saksi of TPS 001 uploads a copy of TPS 002's photo to their own."""
    victim_photo = make_jpeg(seed=3)
    services.add_photo(users["clerk"], small_election, "3175081001002", 1, victim_photo)
    services.add_photo(users["saksi"], small_election, "3175081001001", 1, victim_photo)
    assert not TpsResult.objects.get(code="3175081001002").flagged
    assert TpsResult.objects.get(code="3175081001001").flags == ["foto_duplikat"]
    # the koordinator sees the match on the flagged TPS's page, to judge it
    client.force_login(users["koordinator"])
    page = client.get("/hasil/tps/3175081001001/?pemilihan=uji").content.decode()
    assert "mirip foto TPS lain: 3175081001002 hlm 1" in page
