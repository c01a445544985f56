"""Recap pages and API through the test client: grants, denials, scope, bad input."""

import io
import zipfile

import pytest
from django.test import Client

from kawaltps.recap.discrepancies import recompute
from kawaltps.recap.models import DHasil, DHasilPhoto, Discrepancy

from ..conftest import PASSWORD


def _png() -> bytes:
    """A real (decodable) PNG: D.Hasil photos are checked by decoding them whole."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


PNG = _png()


def client_for(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


@pytest.fixture
def found(loaded, users):
    recompute(loaded)
    return {d.step: d for d in Discrepancy.objects.all()}


def test_list_ranks_by_votes_moved_for_legal(found, users):
    r = client_for(users["legal"]).get("/rekap/?pemilihan=uji")
    assert r.status_code == 200
    assert "TPS → Sirekap" in r.content.decode()
    codes = [d.code for d in r.context["page"]]
    # by impact on the line (10, 2, 1, 1), then votes moved; the kecamatan twice: Sirekap sum and our forms
    assert codes == ["3175081001001", "31", "317101", "317101"]
    r = client_for(users["legal"]).get("/rekap/?pemilihan=uji&urut=suara")
    assert [d.votes_moved for d in r.context["page"]] == [10, 5, 3, 3]
    r = client_for(users["legal"]).get("/rekap/?pemilihan=uji&tahap=tps_kecamatan")
    assert [d.code for d in r.context["page"]] == ["317101"]
    r = client_for(users["legal"]).get("/rekap/?pemilihan=uji&wilayah=3175")
    assert [d.code for d in r.context["page"]] == ["3175081001001"]


def test_a_koordinator_sees_only_their_area(found, users):
    r = client_for(users["koordinator"]).get("/rekap/?pemilihan=uji")  # Jakarta Timur 3175
    assert [d.code for d in r.context["page"]] == ["3175081001001"]
    other = found["tps_kecamatan"]  # 317101, Jakarta Pusat
    assert client_for(users["koordinator"]).get(f"/rekap/selisih/{other.pk}/").status_code == 403


@pytest.mark.parametrize("role", ["saksi", "clerk", "trainer"])
def test_roles_without_the_action_are_denied(found, users, role):
    c = client_for(users[role])
    assert c.get("/rekap/?pemilihan=uji").status_code == 403
    assert c.get(f"/rekap/selisih/{found['tps_sirekap'].pk}/").status_code == 403


def test_anonymous_is_sent_to_login(found):
    r = Client().get("/rekap/")
    assert r.status_code == 302 and "/masuk/" in r["Location"]


def test_detail_shows_numbers_and_dossier_button_only_to_who_may_export(found, users):
    d = found["tps_sirekap"]
    r = client_for(users["legal"]).get(f"/rekap/selisih/{d.pk}/")
    assert r.status_code == 200
    assert [row["delta"] for row in r.context["rows"]] == [10, 0, -10]
    assert b'id="dossier"' in r.content
    r = client_for(users["observer"]).get(f"/rekap/selisih/{d.pk}/")
    assert r.status_code == 200 and b'id="dossier"' not in r.content


def test_dossier_download_and_denial(found, users):
    d = found["tps_sirekap"]
    r = client_for(users["legal"]).get(f"/rekap/selisih/{d.pk}/berkas-bukti.zip")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(r.content))
    assert "ringkasan.pdf" in z.namelist() and "manifest.json" in z.namelist()
    assert len(r["X-Manifest-SHA256"]) == 64
    assert client_for(users["observer"]).get(f"/rekap/selisih/{d.pk}/berkas-bukti.zip").status_code == 403
    r = client_for(users["legal"]).get("/rekap/tps/3175081001001/berkas-bukti.zip?pemilihan=uji")
    assert r.status_code == 200
    assert (
        client_for(users["observer"]).get("/rekap/tps/3175081001001/berkas-bukti.zip?pemilihan=uji").status_code == 403
    )


def test_dhasil_entry_by_a_clerk_with_a_photo(small_election, users):
    c = client_for(users["clerk"])
    assert c.get("/rekap/dhasil/?pemilihan=uji").status_code == 200
    photo = io.BytesIO(PNG)
    photo.name = "dhasil.png"
    r = c.post(
        "/rekap/dhasil/?pemilihan=uji",
        {
            "tingkat": "kecamatan",
            "kode": "31.75.08",
            "paslon_1": "100",
            "paslon_2": "20",
            "paslon_3": "300",
            "sah": "420",
            "tidak_sah": "9",
            "dpt": "1.020",
            "pengguna": "429",
            "surat_suara": "430",
            "foto": photo,
        },
    )
    assert r.status_code == 302
    d = DHasil.objects.get(code="317508")
    assert d.votes == {"1": 100, "2": 20, "3": 300} and d.entered_by == users["clerk"]
    assert (d.dpt, d.voters, d.ballots_used, d.flags) == (1020, 429, 430, ["ballots_not_voters"])
    p = DHasilPhoto.objects.get(dhasil=d)
    assert p.content_type == "image/png" and len(p.sha256) == 64
    assert c.get(f"/rekap/dhasil/foto/{p.pk}/").status_code == 200
    assert client_for(users["saksi"]).get(f"/rekap/dhasil/foto/{p.pk}/").status_code == 403


def test_dhasil_bad_input_changes_nothing(small_election, users):
    c = client_for(users["clerk"])
    bad_photo = io.BytesIO(b"GIF89a....")
    bad_photo.name = "x.gif"
    r = c.post(
        "/rekap/dhasil/?pemilihan=uji",
        {
            "tingkat": "kecamatan",
            "kode": "317508",
            "paslon_1": "100",
            "paslon_2": "20",
            "paslon_3": "300",
            "foto": bad_photo,
        },
    )
    assert r.status_code == 400 and "foto harus JPEG, PNG, WebP, atau PDF" in r.content.decode()
    r = c.post(
        "/rekap/dhasil/?pemilihan=uji",
        {"tingkat": "kecamatan", "kode": "317508", "paslon_1": "seratus", "paslon_2": "20", "paslon_3": "300"},
    )
    assert r.status_code == 400 and "suara paslon 01 harus berupa angka bulat" in r.content.decode()
    r = c.post(
        "/rekap/dhasil/?pemilihan=uji",
        {"tingkat": "kabkota", "kode": "317508", "paslon_1": "1", "paslon_2": "2", "paslon_3": "3"},
    )
    assert r.status_code == 400 and "bukan kode kabupaten/kota" in r.content.decode()
    assert DHasil.objects.count() == 0 and DHasilPhoto.objects.count() == 0


def test_dhasil_entry_denied_outside_scope_and_for_other_roles(small_election, users, make_user):
    scoped = make_user("clerk_timur", "clerk", "3175")
    data = {"tingkat": "kecamatan", "kode": "317101", "paslon_1": "1", "paslon_2": "2", "paslon_3": "3"}
    assert client_for(scoped).post("/rekap/dhasil/?pemilihan=uji", data).status_code == 403
    assert client_for(users["legal"]).get("/rekap/dhasil/?pemilihan=uji").status_code == 403
    assert client_for(users["koordinator"]).post("/rekap/dhasil/?pemilihan=uji", data).status_code == 403
    assert DHasil.objects.count() == 0


def test_recompute_button_needs_official_data_rights(found, users):
    assert client_for(users["legal"]).post("/rekap/hitung-ulang/?pemilihan=uji").status_code == 403
    Discrepancy.objects.all().delete()
    r = client_for(users["admin"]).post("/rekap/hitung-ulang/?pemilihan=uji")
    assert r.status_code == 302 and Discrepancy.objects.count() == 4


def test_api_lists_discrepancies_within_scope(found, users):
    r = client_for(users["observer"]).get("/api/recap/discrepancies?election=uji")
    assert r.status_code == 200
    body = r.json()
    assert [d.get("tps") or d.get("region") for d in body] == ["3175081001001", "31", "317101", "317101"]
    assert [d["impact_line"] for d in body] == [-10, 2, 1, 1]
    assert body[0]["deltas"] == {"1": 10, "2": 0, "3": -10}
    r = client_for(users["koordinator"]).get("/api/recap/discrepancies?election=uji")
    assert [d.get("tps") for d in r.json()] == ["3175081001001"]
    assert client_for(users["saksi"]).get("/api/recap/discrepancies?election=uji").status_code == 403


def test_a_link_to_a_finding_survives_the_recompute_button(found, users):
    admin = client_for(users["admin"])
    url = f"/rekap/selisih/{found['tps_sirekap'].pk}/"
    assert admin.get(url).status_code == 200
    r = admin.post("/rekap/hitung-ulang/?pemilihan=uji", follow=True)
    assert r.status_code == 200
    html = r.content.decode()
    # the one TPS whose witness numbers are only entered is reported, not silently left out
    assert "1 dari 6 TPS tidak dibandingkan dengan Sirekap" in html and "baru dientri" in html
    admin.post("/rekap/hitung-ulang/?pemilihan=uji")
    assert admin.get(url).status_code == 200
    assert admin.get(f"/rekap/selisih/{found['tps_sirekap'].pk}/berkas-bukti.zip").status_code == 200
