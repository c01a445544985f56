"""The saksi's C.Hasil page: their TPS only, numbers + photos in one POST, retry-safe, errors in Indonesian."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kawaltps.results.models import Photo, State, Submission, TpsResult
from tests.conftest import PASSWORD

from .conftest import make_jpeg
from .helpers import good_form

URL = "/hasil/kirim/3175081001001/?pemilihan=uji"


def post_data(votes, numbers, client_id):
    data = {f"paslon_{k}": v for k, v in votes.items()}
    return {**data, **numbers, "client_id": client_id}


@pytest.fixture
def saksi(client, users, small_election):
    client.login(username="saksi", password=PASSWORD)
    return client


def test_saksi_is_sent_to_own_tps(saksi):
    resp = saksi.get("/hasil/kirim/")
    assert resp.status_code == 302 and resp["Location"] == URL
    page = saksi.get(URL).content.decode()
    assert "Kirim C.Hasil" in page and 'name="paslon_3"' in page and 'name="pengguna_dpt_l"' in page
    assert 'name="foto_1"' in page and 'name="client_id"' in page


def test_submit_with_photo_then_retry_is_one_submission(saksi):
    votes, numbers = good_form()
    cid = str(uuid.uuid4())
    data = post_data(votes, numbers, cid)
    resp = saksi.post(URL, {**data, "foto_1": SimpleUploadedFile("a.jpg", make_jpeg())})
    assert resp.status_code == 302 and resp["Location"] == "/hasil/tps/3175081001001/?pemilihan=uji"
    resp = saksi.post(URL, {**data, "foto_1": SimpleUploadedFile("a.jpg", make_jpeg())})
    assert resp.status_code == 302
    assert Submission.objects.count() == 1 and Photo.objects.count() == 1
    assert TpsResult.objects.get().state == State.ENTERED
    page = saksi.get(resp["Location"]).content.decode()
    assert "sudah diterima sebelumnya" in page and "Semua pemeriksaan hitungan lolos" in page


def test_bad_input_is_shown_in_indonesian_and_nothing_saved(saksi):
    votes, numbers = good_form()
    data = post_data({**votes, "1": "-3", "2": "abc"}, numbers, "bad-1")
    resp = saksi.post(URL, data)
    page = resp.content.decode()
    assert resp.status_code == 400
    assert "tidak boleh negatif" in page and "harus berupa angka bulat" in page and 'value="abc"' in page
    assert not Submission.objects.exists()


def test_non_image_photo_is_refused(saksi):
    votes, numbers = good_form()
    resp = saksi.post(URL, {**post_data(votes, numbers, "p-1"),
                            "foto_2": SimpleUploadedFile("c.jpg", b"bukan gambar", content_type="image/jpeg")})
    assert resp.status_code == 400 and "bukan foto" in resp.content.decode()
    assert not Submission.objects.exists() and not Photo.objects.exists()


def test_wrong_arithmetic_is_saved_and_explained(saksi):
    votes, numbers = good_form()
    saksi.post(URL, post_data({**votes, "1": 500}, numbers, "w-1"))
    page = saksi.get("/hasil/tps/3175081001001/?pemilihan=uji").content.decode()
    assert "Jumlah suara semua paslon tidak sama dengan jumlah suara sah" in page
    assert TpsResult.objects.get().flagged


def test_saksi_cannot_open_another_tps(saksi):
    assert saksi.get("/hasil/kirim/3175081001002/?pemilihan=uji").status_code == 403
    votes, numbers = good_form()
    assert saksi.post("/hasil/kirim/3175081001002/?pemilihan=uji", post_data(votes, numbers, "o")).status_code == 403
    assert not Submission.objects.exists()


def test_observer_cannot_submit(client, users, small_election):
    client.login(username="observer", password=PASSWORD)
    votes, numbers = good_form()
    assert client.post(URL, post_data(votes, numbers, "obs")).status_code == 403
    assert not Submission.objects.exists()
