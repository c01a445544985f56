"""The personal-data pages: a volunteer's own data and withdrawal; erasure by their koordinator/admin."""

from kawaltps.audit.models import ChangeRecord
from kawaltps.volunteers.models import Consent, Erasure, Volunteer

from .test_pdp import form


def _volunteer(client, make_user) -> Volunteer:
    client.post("/relawan/daftar/", form())
    v = Volunteer.objects.get()
    user = make_user("relawan-siti", "relawan")
    Volunteer.objects.filter(pk=v.pk).update(user=user)
    v.refresh_from_db()
    return v


def test_a_volunteer_sees_their_data_and_withdraws(client, jakarta, make_user):
    v = _volunteer(client, make_user)
    assert client.get("/relawan/saya/data/").status_code == 302  # login first
    client.force_login(v.user)
    page = client.get("/relawan/saya/data/").content.decode()
    assert v.nik in page and "Jl. Melati 1" in page and "KPPS" in page  # unmasked, with the text agreed to
    assert client.post("/relawan/saya/data/").status_code == 302
    assert Consent.objects.get().withdrawn_at is not None
    v.refresh_from_db()
    assert not v.available_on_election_day
    assert ChangeRecord.objects.filter(action="volunteer_consent_withdraw", object_id=str(v.pk)).count() == 1
    assert "Tarik persetujuan" not in client.get("/relawan/saya/data/").content.decode()


def test_someone_without_a_volunteer_record_gets_404(client, users):
    client.force_login(users["koordinator"])
    assert client.get("/relawan/saya/data/").status_code == 404


def test_erase_page_allows_the_koordinator_of_the_area_and_admin_only(client, users, make_user):
    v = _volunteer(client, make_user)
    url = f"/relawan/{v.pk}/hapus/"
    outsider = make_user("koord-jakpus", "koordinator", "3171")
    for who in (outsider, users["trainer"], users["saksi"], users["clerk"], users["observer"], users["legal"], v.user):
        client.force_login(who)
        assert client.get(url).status_code == 403, who.username
        assert client.post(url, {"reason": "x"}).status_code == 403, who.username
    assert not Erasure.objects.exists() and Volunteer.objects.get().name == "Siti Rahmawati"
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(users["koordinator_kec"])
    assert "tidak dapat dibatalkan" in client.get(url).content.decode()
    assert client.post(url, {"reason": "permintaan relawan"}).status_code == 302
    assert Volunteer.objects.get().name == "(data dihapus)"
    assert Erasure.objects.get().by == "koordkec"
    client.force_login(users["admin"])
    again = client.post(url, {"reason": "lagi"})
    assert again.status_code == 409 and "sudah dihapus" in again.content.decode()


def test_erase_page_names_the_open_case(client, small_election, users, make_user):
    from kawaltps.recap.models import Discrepancy, Step
    from kawaltps.results.services import submit
    from tests.results.helpers import good_form

    v = _volunteer(client, make_user)
    saksi = make_user("saksi-siti", "saksi", tps_code="3175081001001")
    Volunteer.objects.filter(pk=v.pk).update(user=saksi)
    votes, numbers = good_form()
    submit(saksi, small_election, "3175081001001", "saksi", votes, numbers, "pdp-page-1")
    d = Discrepancy.objects.create(election=small_election, key="uji", step=Step.choices[0][0],
                                   code="3175081001001", is_tps=True, deltas={"1": 5}, votes_moved=5)
    client.force_login(users["admin"])
    page = client.get(f"/relawan/{v.pk}/hapus/").content.decode()
    assert f"selisih #{d.pk}" in page
    refused = client.post(f"/relawan/{v.pk}/hapus/", {"reason": "x"})
    assert refused.status_code == 409 and f"selisih #{d.pk}" in refused.content.decode()
    assert Volunteer.objects.get().name == "Siti Rahmawati" and not Erasure.objects.exists()
