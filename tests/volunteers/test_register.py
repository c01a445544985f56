"""Public self-registration at /relawan/daftar/: consent required, bad NIK/phone, duplicates."""

from kawaltps.audit.models import ChangeRecord
from kawaltps.volunteers.models import Volunteer

from .conftest import nik

KEL = "3175081002"


def form(**over):
    data = {"name": "Siti Rahmawati", "nik": nik(KEL, 5, 1, True), "phone": "0812-3456-7001", "kelurahan": KEL,
            "address": "Jl. Melati 1", "available": "on", "consent": "on"}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_register_with_consent(client, orgs):
    response = client.post("/relawan/daftar/", form(organisation=orgs["rkj"].pk))
    assert response.status_code == 302 and response.url == "/relawan/daftar/terima-kasih/"
    v = Volunteer.objects.get()
    assert v.phone == "6281234567001" and v.consent_at is not None and v.status == "registered"
    assert v.organisation == orgs["rkj"] and v.available_on_election_day
    rec = ChangeRecord.objects.get(action="volunteer_register")
    assert v.nik not in str(rec.after) and rec.actor == "daftar"


def test_page_names_the_purposes(client, jakarta):
    page = client.get("/relawan/daftar/").content.decode()
    assert "Pelindungan Data Pribadi" in page and "Bimtek" in page and 'name="consent"' in page


def test_missing_consent_refused(client, jakarta):
    response = client.post("/relawan/daftar/", form(consent=None))
    assert response.status_code == 200
    assert "memerlukan persetujuan" in response.content.decode()
    assert Volunteer.objects.count() == 0


def test_bad_nik_and_phone(client, jakarta):
    response = client.post("/relawan/daftar/", form(nik="3175083104900001", phone="021-555"))
    page = response.content.decode()
    assert "Tanggal lahir pada NIK tidak mungkin" in page and "seluler" in page
    assert Volunteer.objects.count() == 0


def test_duplicate_refused_without_change(client, jakarta):
    client.post("/relawan/daftar/", form())
    response = client.post("/relawan/daftar/", form(name="Orang Lain", phone="081299999999"))
    assert "sudah terdaftar" in response.content.decode()
    assert Volunteer.objects.get().name == "Siti Rahmawati"
