"""The saksi's form answers the offline queue with an explicit acknowledgement, and says plainly what
happened (defects issue #8 items 1 and 3): received, matched, disputed, kept, duplicate resend;
refusals (invalid, forbidden, logged out, stale CSRF token) carry no ack, so the queue keeps them."""

import re
import uuid

import pytest
from django.test import Client

from kawaltps.results import services
from kawaltps.results.models import State, Submission, TpsResult
from tests.conftest import PASSWORD

from .helpers import good_form

TPS = "3175081001001"
URL = f"/hasil/kirim/{TPS}/?pemilihan=uji"
JSON = {"HTTP_ACCEPT": "application/json"}


def post_data(votes, numbers, client_id):
    return {**{f"paslon_{k}": v for k, v in votes.items()}, **numbers, "client_id": client_id}


@pytest.fixture
def saksi(client, users, small_election):
    client.login(username="saksi", password=PASSWORD)
    return client


def send(c, votes, numbers, cid=None, **headers):
    cid = cid or str(uuid.uuid4())
    return cid, c.post(URL, post_data(votes, numbers, cid), **{**JSON, **headers})


def state():
    return TpsResult.objects.get(code=TPS).state


def test_first_sending_is_acknowledged_by_its_client_id(saksi):
    votes, numbers = good_form()
    cid, r = send(saksi, votes, numbers)
    body = r.json()
    assert r.status_code == 200 and body["ack"] == cid and body["status"] == "received"
    assert "tercatat sebagai angka TPS ini" in body["message"] and body["state"] == State.ENTERED
    assert body["url"] == f"/hasil/tps/{TPS}/?pemilihan=uji"


def test_duplicate_resend_is_acknowledged_once(saksi):
    votes, numbers = good_form()
    cid, _ = send(saksi, votes, numbers)
    _, r = send(saksi, votes, numbers, cid)
    body = r.json()
    assert body["ack"] == cid and body["status"] == "duplicate"
    assert "sudah diterima sebelumnya" in body["message"] and "tidak dicatat dua kali" in body["message"]
    assert Submission.objects.filter(client_id=cid).count() == 1


def test_same_numbers_again_are_matched(saksi):
    votes, numbers = good_form()
    send(saksi, votes, numbers)
    cid, r = send(saksi, votes, numbers)
    assert r.json()["ack"] == cid and r.json()["status"] == "matched"
    assert "sama dengan yang sudah tercatat" in r.json()["message"] and state() == State.ENTERED


def test_conflicting_numbers_say_disputed_not_accepted(saksi):
    votes, numbers = good_form()
    send(saksi, votes, numbers)
    cid, r = send(saksi, {**votes, "1": 121}, numbers)
    body = r.json()
    assert body["ack"] == cid and body["status"] == "disputed" and state() == State.DISPUTED
    assert "BERBEDA" in body["message"] and "rekonsiliasi" in body["message"]
    assert "sudah diterima." not in body["message"]
    # The page without JavaScript says the same, as a warning.
    r = saksi.post(URL, post_data({**votes, "1": 119}, numbers, str(uuid.uuid4())), follow=True)
    page = r.content.decode()
    assert 'class="warning"' in page and "tidak mengubah angka TPS ini" in page
    assert "C.Hasil TPS ini sudah diterima" not in page


def test_disputed_page_message_on_first_conflict(saksi):
    votes, numbers = good_form()
    saksi.post(URL, post_data(votes, numbers, "first"))
    r = saksi.post(URL, post_data({**votes, "2": 31}, numbers, "second"), follow=True)
    page = r.content.decode()
    assert "BERBEDA" in page and "antrean rekonsiliasi" in page and 'class="warning"' in page
    assert "C.Hasil TPS ini sudah diterima" not in page


def test_first_sending_page_message(saksi):
    r = saksi.post(URL, post_data(*good_form(), "p1"), follow=True)
    assert "tercatat sebagai angka TPS ini" in r.content.decode() and 'class="success"' in r.content.decode()


def test_verified_tps_kept_as_evidence(saksi, users, small_election):
    votes, numbers = good_form()
    services.submit(users["clerk"], small_election, TPS, "clerk_first", votes, numbers, "c1")
    services.submit(users["clerk2"], small_election, TPS, "clerk_first", votes, numbers, "c2")
    assert state() == State.VERIFIED
    _, r = send(saksi, votes, numbers)
    assert r.json()["status"] == "matched"
    services.reconcile(users["koordinator"], TpsResult.objects.get(code=TPS), "r1", votes, numbers)
    cid, r = send(saksi, {**votes, "3": 1}, numbers)
    body = r.json()
    assert body["ack"] == cid and body["status"] == "kept" and state() == State.FINAL
    assert "disimpan sebagai bukti" in body["message"] and "final" in body["message"]


def test_invalid_sending_is_not_acknowledged_and_says_why(saksi):
    votes, numbers = good_form()
    cid, r = send(saksi, {**votes, "1": "-4"}, numbers)
    body = r.json()
    assert r.status_code == 400 and body["ack"] is None and body["client_id"] == cid and body["status"] == "invalid"
    assert "tidak boleh negatif" in body["message"] and "paslon_1" in body["errors"]
    assert not Submission.objects.exists()


def test_sending_without_client_id_is_refused(saksi):
    votes, numbers = good_form()
    r = saksi.post(URL, post_data(votes, numbers, ""), **JSON)
    assert r.status_code == 400 and r.json()["ack"] is None and "client_id" in r.json()["message"]
    assert not Submission.objects.exists()


def test_logged_out_sending_is_not_acknowledged(client, users, small_election):
    cid, r = send(client, *good_form())
    assert r.status_code == 401 and r.json()["ack"] is None and r.json()["status"] == "login"
    assert client.get("/hasil/kirim/token.json").status_code == 401
    r = client.post(URL, post_data(*good_form(), cid))  # without JavaScript: the login page, as before
    assert r.status_code == 302 and "/masuk/" in r["Location"]
    assert not Submission.objects.exists()


def test_other_tps_is_refused_without_ack(saksi):
    votes, numbers = good_form()
    r = saksi.post("/hasil/kirim/3175081001002/?pemilihan=uji", post_data(votes, numbers, "x"), **JSON)
    assert r.status_code == 403 and r.json()["ack"] is None and r.json()["status"] == "forbidden"
    assert "tidak berwenang" in r.json()["message"] and not Submission.objects.exists()


def test_relogin_voids_the_queued_token_and_token_json_gives_a_fresh_one(users, small_election):
    """What the queue meets after a new login: its stored CSRF token is refused (no ack), a fresh one
    from token.json is accepted and the same client id is stored once."""
    c = Client(enforce_csrf_checks=True)
    c.login(username="saksi", password=PASSWORD)
    page = c.get(URL).content.decode()
    old = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    c.logout()
    c.login(username="saksi", password=PASSWORD)
    votes, numbers = good_form()
    data = {**post_data(votes, numbers, "q-1"), "csrfmiddlewaretoken": old}
    r = c.post(URL, data, **JSON)
    assert r.status_code == 403 and not Submission.objects.exists()  # HTML, no ack: the queue keeps it
    token = c.get("/hasil/kirim/token.json", **JSON).json()
    assert token["user"] == "saksi"
    r = c.post(URL, {**data, "csrfmiddlewaretoken": token["csrf"]}, **JSON)
    assert r.status_code == 200 and r.json()["ack"] == "q-1"
    assert Submission.objects.filter(client_id="q-1").count() == 1
