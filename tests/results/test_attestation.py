"""What the C.Hasil says beside the numbers: signatures, keberatan form, salinan; each photo's document.

Through the doors people use: the saksi's form (/hasil/kirim/), the clerk's entry, the API, the TPS page.
"""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kawaltps.audit.models import ChangeRecord
from kawaltps.people.models import ApiToken
from kawaltps.results import services
from kawaltps.results.checks import ATTESTATION_RULES, run_attestation_checks
from kawaltps.results.models import Photo, Submission, TpsResult
from tests.conftest import PASSWORD

from .conftest import make_jpeg
from .helpers import good_form

TPS = "3175081001001"
URL = f"/hasil/kirim/{TPS}/?pemilihan=uji"


def post_data(cid, **extra):
    votes, numbers = good_form()
    return {**{f"paslon_{k}": v for k, v in votes.items()}, **numbers, "client_id": cid, **extra}


@pytest.fixture
def saksi(client, users, small_election):
    client.login(username="saksi", password=PASSWORD)
    return client


def test_rules_are_named_and_state_their_rule():
    assert {r.code for r in ATTESTATION_RULES} == {"salinan_tidak_diterima", "ttd_ditolak", "ada_keberatan"}
    assert all(r.check.__doc__ and "DOMAIN.md" in r.check.__doc__ for r in ATTESTATION_RULES)
    assert run_attestation_checks({"salinan": True, "kpps": "signed", "keberatan": True,
                                   "keberatan_text": "NIHIL"}) == []
    codes = [f.code for f in run_attestation_checks({"salinan": False, "saksi": {"2": "refused"},
                                                     "keberatan_text": "Kotak dibuka sebelum 07.00",
                                                     "keberatan": True})]
    assert codes == ["salinan_tidak_diterima", "ttd_ditolak", "ada_keberatan"]


def test_saksi_form_records_signatures_keberatan_salinan_and_documents(saksi):
    page = saksi.get(URL).content.decode()
    for name in ('name="ttd_kpps"', 'name="ttd_saksi_3"', 'name="keberatan"', 'name="keberatan_isi"',
                 'name="salinan"', 'name="foto_plano"', 'name="foto_keberatan"', 'name="foto_daftar_hadir"'):
        assert name in page
    data = post_data(str(uuid.uuid4()), ttd_kpps="signed", ttd_saksi_1="signed", ttd_saksi_2="refused",
                     ttd_saksi_3="absent", keberatan="ya", keberatan_isi="Saksi 02 keberatan: 5 surat suara "
                     "tidak dicoret.", salinan="tidak",
                     foto_1=SimpleUploadedFile("a.jpg", make_jpeg(seed=1)),
                     foto_plano=SimpleUploadedFile("p.jpg", make_jpeg(seed=2)),
                     foto_keberatan=SimpleUploadedFile("k.jpg", make_jpeg(seed=5)))
    resp = saksi.post(URL, data)
    assert resp.status_code == 302
    result = TpsResult.objects.get()
    assert result.attestation == {"kpps": "signed", "saksi": {"1": "signed", "2": "refused", "3": "absent"},
                                  "keberatan": True, "keberatan_text": "Saksi 02 keberatan: 5 surat suara "
                                  "tidak dicoret.", "salinan": False}
    assert set(result.flags) == {"salinan_tidak_diterima", "ttd_ditolak", "ada_keberatan"} and result.flagged
    assert Submission.objects.get().attestation == result.attestation
    assert sorted(Photo.objects.values_list("document", "page")) == [("keberatan", 1), ("plano", 1), ("salinan", 1)]
    audit = ChangeRecord.objects.filter(action="results.first_entry").get()
    assert audit.after["attestation"]["salinan"] is False and "attestation" not in audit.before
    page = saksi.get(resp["Location"]).content.decode()
    assert "menolak tanda tangan" in page and "tidak dicoret" in page
    assert "Saksi tidak menerima salinan C.Hasil" in page and "C.Hasil plano (lembar besar)" in page


def test_bad_attestation_is_refused_in_indonesian_and_nothing_saved(saksi):
    resp = saksi.post(URL, post_data("bad-att", ttd_kpps="mungkin", salinan="entah",
                                     keberatan="tidak", keberatan_isi="ada isi"))
    page = resp.content.decode()
    assert resp.status_code == 400
    assert "Tanda tangan KPPS harus" in page and "Salinan C.Hasil diterima? Jawab ya atau tidak." in page
    assert "formulir keberatan dijawab tidak diisi" in page
    assert not Submission.objects.exists() and not TpsResult.objects.exists()


def test_offline_queue_json_names_the_attestation_field(saksi):
    resp = saksi.post(URL, post_data("q-1", salinan="entah"), HTTP_ACCEPT="application/json")
    body = resp.json()
    assert resp.status_code == 400 and body["ack"] is None and "salinan" in body["errors"]
    resp = saksi.post(URL, post_data("q-1", salinan="ya", keberatan="ya", keberatan_isi="NIHIL"),
                      HTTP_ACCEPT="application/json")
    assert resp.json()["ack"] == "q-1"
    result = TpsResult.objects.get()
    assert result.attestation["salinan"] is True and result.flags == []  # NIHIL is no objection


def test_clerk_entry_records_attestation_from_the_photos(client, users, small_election):
    services.add_photo(users["saksi"], small_election, TPS, 1, make_jpeg(seed=3), document="salinan")
    client.login(username="clerk", password=PASSWORD)
    url = f"/hasil/entri/{TPS}/?pemilihan=uji"
    assert 'name="ttd_kpps"' in client.get(url).content.decode()
    resp = client.post(url, post_data("clerk-1", ttd_kpps="refused", salinan="ya"))
    assert resp.status_code == 302
    result = TpsResult.objects.get()
    assert result.attestation == {"kpps": "refused", "salinan": True} and result.flags == ["ttd_ditolak"]


def test_a_later_entry_without_attestation_keeps_it(client, users, small_election):
    votes, numbers = good_form()
    services.submit(users["saksi"], small_election, TPS, "saksi", votes, numbers, "s-1",
                    attestation={"salinan": False})
    services.submit(users["clerk"], small_election, TPS, "clerk_first", votes, numbers, "c-1")
    result = TpsResult.objects.get()
    assert result.state == "verified"
    assert result.attestation == {"salinan": False} and "salinan_tidak_diterima" in result.flags


def test_api_carries_attestation_and_photo_document(client, users, small_election):
    _, key = ApiToken.issue(users["saksi"])
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    votes, numbers = good_form()
    body = {"client_id": "api-att", "election": "uji", "tps": TPS, "votes": votes, "numbers": numbers,
            "attestation": {"kpps": "signed", "saksi": {"1": "signed"}, "salinan": True}}
    r = client.post("/api/results/submissions", body, content_type="application/json", **h)
    assert r.status_code == 201 and r.json()["flags"] == []
    r2 = client.post("/api/results/submissions", body, content_type="application/json", **h)
    assert r2.json()["replayed"] is True and Submission.objects.count() == 1
    bad = {**body, "client_id": "api-bad", "attestation": {"saksi": {"9": "signed"}}}
    r3 = client.post("/api/results/submissions", bad, content_type="application/json", **h)
    assert r3.status_code == 422 and "Paslon nomor 9" in r3.json()["detail"]
    up = client.post("/api/results/photos", {"election": "uji", "tps": TPS, "page": 1, "document": "daftar_hadir",
                                             "file": SimpleUploadedFile("d.jpg", make_jpeg(seed=7))}, **h)
    assert up.status_code == 201 and up.json()["document"] == "daftar_hadir"
    wrong = client.post("/api/results/photos", {"election": "uji", "tps": TPS, "page": 1, "document": "ktp",
                                                "file": SimpleUploadedFile("x.jpg", make_jpeg(seed=8))}, **h)
    assert wrong.status_code == 422 and "Jenis dokumen foto tidak dikenal" in wrong.json()["detail"]
    got = client.get(f"/api/results/uji/tps/{TPS}", **h).json()
    assert got["attestation"] == {"kpps": "signed", "saksi": {"1": "signed"}, "salinan": True}
    assert list(got["documents"]) == ["daftar_hadir"] and Photo.objects.count() == 1
