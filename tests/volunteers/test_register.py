"""Public self-registration at /relawan/daftar/: consent required, bad NIK/phone, duplicates, rate limit."""

import re

from django.test import Client

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


def _answer(client, data) -> tuple[int, str, str]:
    """(status, redirect target, page shown after following) with the CSRF token taken out."""
    response = client.post("/relawan/daftar/", data)
    page = client.get(response.url).content.decode() if response.status_code == 302 else response.content.decode()
    return response.status_code, response.get("Location", ""), re.sub(r'value="[^"]{32,}"', "", page)


def test_duplicate_answered_like_new_and_changes_nothing(jakarta):
    """Issue 8 item 13: the answer never tells whether a NIK or phone belongs to a volunteer."""
    first = _answer(Client(), form())
    same_nik = _answer(Client(), form(name="Orang Lain", phone="081299999999"))
    same_phone = _answer(Client(), form(name="Orang Lain", nik=nik(KEL, 6, 2)))
    new = _answer(Client(), form(name="Budi", nik=nik(KEL, 7, 3), phone="081311112222"))
    assert first == same_nik == same_phone == new
    assert first[0] == 302 and "sudah terdaftar" not in first[2]
    assert Volunteer.objects.count() == 2
    assert Volunteer.objects.get(nik=nik(KEL, 5, 1, True)).name == "Siti Rahmawati"


def test_duplicate_noted_for_the_koordinator(client, users):
    client.post("/relawan/daftar/", form())
    client.post("/relawan/daftar/", form(name="Orang Lain", phone="081299999999"))
    v = Volunteer.objects.get()
    rec = ChangeRecord.objects.get(action="volunteer_duplicate_registration")
    assert rec.object_id == str(v.pk) and rec.after == {"matched": ["nik"], "same_name": False, "kelurahan": KEL}
    assert v.nik not in str(rec.after) and "Orang Lain" not in str(rec.after)
    koord = Client()
    koord.force_login(users["koordinator"])  # Jakarta Timur: the volunteer's area
    page = koord.get("/relawan/").content.decode()
    assert "didaftarkan ulang" in page
    assert "Siti Rahmawati" in koord.get("/relawan/?ganda=1").content.decode()
    other = make_other_koordinator()
    elsewhere = Client()
    elsewhere.force_login(other)
    assert "didaftarkan ulang" not in elsewhere.get("/relawan/").content.decode()


def make_other_koordinator():
    from kawaltps.people.models import User

    return User.objects.create_user("koord-pusat", password="x" * 12, role="koordinator", region_id="3171")


def test_registration_rate_limited_per_address(client, jakarta):
    """30 registrations in a burst: the 11th and later are refused with 429 and a clear message."""
    codes = []
    for i in range(30):
        r = client.post("/relawan/daftar/", form(name=f"Relawan {i}", nik=nik(KEL, 1 + i % 28, 100 + i),
                                                phone=f"0813{i:08d}"))
        codes.append(r.status_code)
    assert codes[:10] == [302] * 10 and set(codes[10:]) == {429}
    r = client.post("/relawan/daftar/", form(name="X", nik=nik(KEL, 2, 999), phone="081377776666"))
    assert "Terlalu banyak percobaan. Coba lagi dalam 1 menit." in r.content.decode()
    assert int(r["Retry-After"]) <= 60
    assert Volunteer.objects.count() == 10
    # another address is not affected
    assert client.post("/relawan/daftar/", form(name="Y", nik=nik(KEL, 3, 998), phone="081377775555"),
                       REMOTE_ADDR="10.1.2.3").status_code == 302
