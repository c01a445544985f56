"""The volunteer list's region filter and the results dashboard accept a region name (issue 13.4)."""

from kawaltps.volunteers.models import Volunteer

from .conftest import nik


def make(kel, seq):
    return Volunteer.objects.create(name=f"Relawan {seq}", nik=nik(kel, 5, seq), phone=f"6281234567{seq:03d}",
                                    kelurahan_id=kel)


def test_volunteer_list_filters_by_kecamatan_name(client, users):
    make("3175081001", 1)
    make("3171011001", 2)
    client.force_login(users["admin"])
    body = client.get("/relawan/?wilayah=Makasar").content.decode()
    assert "Relawan 1" in body and "Relawan 2" not in body
    assert 'data-suggest="/wilayah/cari/"' in body and 'value="Makasar"' in body
    body = client.get("/relawan/?wilayah=317101").content.decode()  # a code still works
    assert "Relawan 2" in body and "Relawan 1" not in body
    body = client.get("/relawan/?wilayah=Tidakada").content.decode()
    assert "Tidak ada wilayah dengan nama atau kode itu" in body


def test_volunteer_export_follows_the_name_filter(client, users):
    make("3175081001", 1)
    make("3171011001", 2)
    client.force_login(users["koordinator"])
    body = b"".join(client.get("/relawan/ekspor.csv?wilayah=Makasar").streaming_content).decode()
    assert "Relawan 1" in body and "Relawan 2" not in body


def test_dashboard_opens_a_region_by_name(client, users, small_election):
    client.force_login(users["observer"])
    response = client.get("/hasil/?pemilihan=uji&wilayah=Makasar")
    assert response.status_code == 302 and response["Location"] == "/hasil/wilayah/317508/?pemilihan=uji&sumber=witness"
    body = client.get("/hasil/?pemilihan=uji&wilayah=Zzzz").content.decode()
    assert "Tidak ada wilayah dengan nama atau kode itu" in body
    client.force_login(users["koordinator_kec"])  # Makasar's koordinator: another kota is refused
    target = client.get("/hasil/?pemilihan=uji&wilayah=317101")["Location"]
    assert client.get(target).status_code == 403
