"""The koordinator's broadcast page /pesan/siaran/: preview, send, history; grants and denials."""

import pytest

from kawaltps.audit.models import ChangeRecord
from kawaltps.messaging.models import Broadcast

from ..conftest import screenshot

URL = "/pesan/siaran/?pemilihan=uji"


def form(**kw) -> dict:
    data = {"audience": "kelurahan", "region": "3175081001", "text": "Rapat saksi 06.00 di posko.",
            "client_id": "page-1", "send": "1"}
    data.update(kw)
    return data


def test_preview_counts_without_sending(client, posted, memory_sender):
    from kawaltps.people.models import User

    client.force_login(User.objects.get(username="koordkec"))
    r = client.post(URL, {k: v for k, v in form(preview="1").items() if k != "send"})
    assert r.status_code == 200 and r.context["preview"] == 3
    assert "akan sampai ke 3 penerima" in r.content.decode()
    assert memory_sender == [] and Broadcast.objects.count() == 0


def test_send_records_delivery_audit_and_history(client, posted, memory_sender):
    from kawaltps.people.models import User

    client.force_login(User.objects.get(username="koordkec"))
    r = client.post(URL, form())
    assert r.status_code == 302
    row = Broadcast.objects.get()
    assert (row.recipients, row.delivered, row.failed, row.sent_by.username) == (3, 3, 0, "koordkec")
    assert len(memory_sender) == 3
    assert ChangeRecord.objects.filter(action="messaging.broadcast").count() == 1
    assert ChangeRecord.objects.get(action="messaging.broadcast_delivered").after == {"delivered": 3, "failed": 0}
    client.post(URL, form())  # the same client id again (a double tap): nothing resent
    assert Broadcast.objects.count() == 1 and len(memory_sender) == 3
    page = client.get(URL).content.decode()
    assert "Rapat saksi 06.00 di posko." in page and 'id="past"' in page


def test_admin_sends_anywhere(client, posted, memory_sender, users):
    client.force_login(users["admin"])
    assert client.post(URL, form(audience="kecamatan", region="317508", client_id="adm-1")).status_code == 302
    assert Broadcast.objects.get().recipients == 3


@pytest.mark.parametrize("who", ["saksi", "observer", "clerk", "trainer", "legal"])
def test_roles_without_deployment_rights_are_refused(client, posted, memory_sender, users, who):
    client.force_login(users[who])
    assert client.get(URL).status_code == 403
    assert client.post(URL, form()).status_code == 403
    assert Broadcast.objects.count() == 0 and memory_sender == []


def test_anonymous_goes_to_login(client, posted):
    r = client.get(URL)
    assert r.status_code == 302 and "/masuk/" in r["Location"]


def test_koordinator_outside_their_region_is_refused(client, posted, memory_sender, users):
    client.force_login(users["koordinator_kec"])  # scope 317508
    r = client.post(URL, form(audience="kecamatan", region="317501"))
    assert r.status_code == 400 and "di luar wilayah tugas Anda" in r.content.decode()
    assert Broadcast.objects.count() == 0 and memory_sender == [] and not ChangeRecord.objects.exists()


@pytest.mark.parametrize(("data", "message"), [
    ({"text": "   "}, "Isi siaran wajib diisi"),
    ({"text": "x" * 1001}, "paling panjang 1000 huruf"),
    ({"region": "3175089999"}, "tidak dikenal"),
    ({"region": "31750810"}, "harus 10 angka"),
    ({"region": "31750810ab"}, "Kode wilayah harus angka"),
    ({"audience": "semua"}, "Sasaran siaran harus"),
])
def test_bad_input_is_refused_in_indonesian_and_nothing_sent(client, posted, memory_sender, users, data, message):
    client.force_login(users["koordinator"])
    r = client.post(URL, form(**data))
    assert r.status_code == 400 and message in r.content.decode()
    assert Broadcast.objects.count() == 0 and memory_sender == [] and not ChangeRecord.objects.exists()


def test_menu_links_the_page_for_koordinator_not_saksi(client, posted, users):
    client.force_login(users["koordinator"])
    assert 'href="/pesan/siaran/"' in client.get("/").content.decode()
    client.force_login(users["saksi"])
    assert 'href="/pesan/siaran/"' not in client.get("/").content.decode()


def test_broadcast_page_in_the_browser(posted, memory_sender, login_page, live_server):
    Broadcast.objects.create(election=posted["election"], audience="kelurahan", region_code="3175081001",
                             text="Rapat saksi 06.00 di posko.", recipients=3, delivered=2, failed=1,
                             client_id="shot-1")
    page = login_page("koordkec")  # one login (a TOTP code is refused when reused), two widths
    for name, size in (("messaging-broadcasts-desktop", (1280, 900)), ("messaging-broadcasts-phone", (360, 780))):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.goto(f"{live_server.url}{URL}")
        page.fill("#region", "3175081001")
        page.fill("#text", "Semua saksi hadir di TPS pukul 06.30.")
        page.click("button[name=preview]")
        page.wait_for_selector("#preview")
        assert "3 penerima" in page.inner_text("#preview")
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
        screenshot(page, name)
    assert memory_sender == []
