"""`/rekap/dhasil/`: the per-child rows of a D.Hasil typed on the page (Django client), their arithmetic,
and the denials."""

import re

from kawaltps.audit.models import ChangeRecord
from kawaltps.recap.models import DHasil

from .test_pages import client_for

URL = "/rekap/dhasil/?pemilihan=uji"
KEL_A, KEL_B = "3175081001", "3175081002"


def _totals(**extra):
    return {"tingkat": "kecamatan", "kode": "31.75.08", "paslon_1": "150", "paslon_2": "30", "paslon_3": "260",
            "sah": "440", "tidak_sah": "10", "dpt": "2.040", "pengguna": "450", "surat_suara": "450", **extra}


def _row(kel, p1, p2, p3, invalid, dpt, voters):
    f = f"baris-{kel}-"
    return {f + "paslon_1": p1, f + "paslon_2": p2, f + "paslon_3": p3, f + "sah": str(int(p1) + int(p2) + int(p3)),
            f + "tidak_sah": invalid, f + "dpt": dpt, f + "pengguna": voters, f + "surat_suara": voters}


def test_the_page_lists_the_kecamatans_kelurahan_and_stores_their_rows(small_election, users):
    c = client_for(users["clerk"])
    page = c.get(URL + "&tingkat=kecamatan&kode=317508")
    assert page.status_code == 200
    html = page.content.decode()
    rows = re.findall(r'name="baris-(\d+)-paslon_1"', html)
    assert rows == [KEL_A, KEL_B]  # the kelurahan of 317508 with TPS of the election, one row each
    for field in ("sah", "tidak_sah", "dpt", "pengguna", "surat_suara", "paslon_2", "paslon_3"):
        assert f'name="baris-{KEL_A}-{field}"' in html
    r = c.post(URL, {**_totals(), **_row(KEL_A, "100", "20", "200", "6", "1.020", "326"),
                     **_row(KEL_B, "50", "10", "60", "4", "1020", "124")})
    assert r.status_code == 302
    d = DHasil.objects.get(code="317508")
    assert d.votes == {"1": 150, "2": 30, "3": 260} and d.flags == []
    assert d.children[KEL_A] == {"votes": {"1": 100, "2": 20, "3": 200}, "dpt": 1020, "voters": 326,
                                 "ballots_used": 326, "valid": 320, "invalid": 6}
    assert d.children[KEL_B]["votes"] == {"1": 50, "2": 10, "3": 60}
    rec = ChangeRecord.objects.get(action="dhasil_entered", code="317508")
    assert rec.after["children"][KEL_B]["voters"] == 124


def test_rows_that_do_not_add_up_are_reported_and_nothing_is_saved(small_election, users):
    c = client_for(users["clerk"])
    r = c.post(URL, {**_totals(), **_row(KEL_A, "110", "20", "200", "6", "1020", "326"),
                     **_row(KEL_B, "50", "10", "60", "4", "1020", "124")})
    assert r.status_code == 400
    html = r.content.decode()
    assert "rincian tidak berjumlah sama: paslon 01 per wilayah berjumlah 160, jumlahnya 150" in html
    assert "selisih +10" in html and "baris kelurahan" in html
    assert 'value="110"' in html  # what the clerk typed is kept on the page
    assert not DHasil.objects.exists() and not ChangeRecord.objects.filter(action="dhasil_entered").exists()
    # the voters column is checked too
    r = c.post(URL, {**_totals(), **_row(KEL_A, "100", "20", "200", "6", "1020", "300"),
                     **_row(KEL_B, "50", "10", "60", "4", "1020", "124")})
    assert r.status_code == 400 and "pengguna hak pilih per wilayah berjumlah 424, jumlahnya 450" in r.content.decode()
    assert not DHasil.objects.exists()


def test_one_row_typed_and_another_left_empty_is_refused(small_election, users):
    c = client_for(users["clerk"])
    r = c.post(URL, {**_totals(), **_row(KEL_A, "150", "30", "260", "10", "2040", "450")})
    assert r.status_code == 400
    assert "baris kelurahan belum diisi" in r.content.decode() and KEL_B in r.content.decode()
    assert not DHasil.objects.exists()
    # no row typed at all: the totals alone are saved, as before
    assert c.post(URL, _totals()).status_code == 302
    assert DHasil.objects.get(code="317508").children == {}


def test_a_bad_number_in_a_row_names_the_row(small_election, users):
    c = client_for(users["clerk"])
    r = c.post(URL, {**_totals(), **_row(KEL_A, "100", "20", "200", "6", "1020", "326"),
                     **_row(KEL_B, "50", "10", "60", "4", "1020", "124"), f"baris-{KEL_B}-dpt": "-5"})
    assert r.status_code == 400 and f"baris {KEL_B}" in r.content.decode()
    assert not DHasil.objects.exists()


def test_rows_outside_the_clerks_region_are_denied(small_election, users, make_user):
    scoped = client_for(make_user("clerkjt", "clerk", "3175"))
    assert scoped.get(URL + "&tingkat=kabkota&kode=3175").status_code == 200
    assert scoped.get(URL + "&tingkat=kabkota&kode=3171").status_code == 403
    r = scoped.post(URL, {**_totals(tingkat="kabkota", kode="3171"), **_row("317101", "1", "1", "1", "0", "9", "3")})
    assert r.status_code == 403 and not DHasil.objects.exists()
    assert client_for(users["saksi"]).get(URL + "&tingkat=kecamatan&kode=317508").status_code == 403
