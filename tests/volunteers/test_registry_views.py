"""List, detail, export and upload pages: scope, masking per role, denials."""

import io

from kawaltps.volunteers.models import Volunteer

from .conftest import nik, write_csv

PAPER_CONSENT = {"consent_by": "Koordinator Makasar", "consent_on": "2024-10-01",
                 "consent_paper": "map Bimtek Makasar, sekretariat Pokja"}


def make(kel, seq, **extra):
    return Volunteer.objects.create(name=f"Relawan {seq}", nik=nik(kel, 5, seq), phone=f"6281234567{seq:03d}",
                                    kelurahan_id=kel, address=f"Jl. Rahasia {seq}", **extra)


def login(client, user):
    client.force_login(user)
    return client


def test_coordinator_sees_own_area_unmasked(client, users):
    mine, other = make("3175081002", 1), make("3171011001", 2)
    page = login(client, users["koordinator_kec"]).get("/relawan/").content.decode()
    assert mine.name in page and other.name not in page
    assert "081234567001" in page
    detail = client.get(f"/relawan/{mine.pk}/").content.decode()
    assert mine.nik in detail and "Jl. Rahasia 1" in detail
    assert client.get(f"/relawan/{other.pk}/").status_code == 404


def test_admin_sees_everything(client, users):
    other = make("3171011001", 2)
    detail = login(client, users["admin"]).get(f"/relawan/{other.pk}/").content.decode()
    assert other.nik in detail


def test_trainer_sees_masked(client, users):
    v = make("3175081002", 1)
    page = login(client, users["trainer"]).get(f"/relawan/{v.pk}/").content.decode()
    assert v.nik not in page and "3175••••••••0001" in page
    assert "0812••••7001" in page and "Jl. Rahasia" not in page
    assert "disamarkan" in page
    listing = client.get("/relawan/").content.decode()
    assert "081234567001" not in listing and "0812••••7001" in listing


def test_denials(client, users):
    v = make("3175081002", 1)
    assert client.get("/relawan/").status_code == 302  # anonymous → login
    for role in ("observer", "saksi", "clerk", "legal"):
        c = login(client, users[role])
        assert c.get("/relawan/").status_code == 403
        assert c.get(f"/relawan/{v.pk}/").status_code == 403
        assert c.get("/relawan/ekspor.csv").status_code == 403
        assert c.get("/relawan/impor/").status_code == 403


def test_export_omits_personal_data(client, users):
    v = make("3175081002", 1)
    make("3171011001", 2)
    response = login(client, users["koordinator"]).get("/relawan/ekspor.csv")
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert v.name in body and "Relawan 2" not in body
    assert v.nik not in body and "6281234567001" not in body and "Rahasia" not in body
    assert body.splitlines()[0].startswith("id,nama,kode_kelurahan")


def test_upload_page_reports_rows_in_indonesian(client, users, orgs, tmp_path):
    path = write_csv(tmp_path / "r.csv", [
        ["Siti", nik("3175081002", 5, 1), "081234567001", "3175081002", "RKJ"],
        ["Budi", "123", "081234567002", "3175081002", "RKJ"],
        ["Agus", nik("3171011001", 6, 3), "081234567003", "3171011001", "RKJ"],
    ])
    c = login(client, users["koordinator_kec"])
    with open(path, "rb") as f:
        page = c.post("/relawan/impor/", {"file": f, **PAPER_CONSENT}).content.decode()
    assert "NIK harus 16 angka" in page and "kelurahan di luar wilayah tugas Anda" in page
    assert Volunteer.objects.count() == 1


def test_upload_refused_file(client, users, orgs):
    bad = io.BytesIO(b"%PDF-1.4 bukan spreadsheet")
    bad.name = "data.pdf"
    page = login(client, users["admin"]).post("/relawan/impor/", {"file": bad, **PAPER_CONSENT}).content.decode()
    assert "Jenis berkas tidak didukung" in page and Volunteer.objects.count() == 0


def test_template_download(client, users):
    body = login(client, users["admin"]).get("/relawan/impor/templat.csv").content.decode()
    assert body.splitlines()[0] == "nama,nik,telepon,kelurahan,organisasi,alamat,bersedia"
