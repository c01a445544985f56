"""Clerk entry from photos: queue, first entry, blind second entry by another clerk."""

import pytest

from kawaltps.results import services
from kawaltps.results.models import State, Submission, TpsResult
from tests.conftest import PASSWORD

from .conftest import make_jpeg
from .helpers import good_form

TPS = "3175081001001"
URL = f"/hasil/entri/{TPS}/?pemilihan=uji"


def form(votes, numbers, cid):
    return {**{f"paslon_{k}": v for k, v in votes.items()}, **numbers, "client_id": cid}


@pytest.fixture
def photographed(small_election, users):
    services.add_photo(users["saksi"], small_election, TPS, 1, make_jpeg(seed=3))
    return small_election


def login(client, name):
    client.login(username=name, password=PASSWORD)
    return client


def test_first_then_blind_second_entry_verifies(client, photographed, users):
    votes, numbers = good_form()
    c = login(client, "clerk")
    queue = c.get("/hasil/entri/?pemilihan=uji").content.decode()
    assert TPS in queue and "pertama" in queue
    page = c.get(URL).content.decode()
    assert "Entri pertama" in page and "/hasil/foto/" in page
    assert c.post(URL, form(votes, numbers, "e1")).status_code == 302
    assert TPS not in c.get("/hasil/entri/?pemilihan=uji").content.decode()  # not for the same clerk again
    c.logout()
    c = login(client, "clerk2")
    page = c.get(URL).content.decode()
    assert "Entri kedua (buta)" in page
    assert f'value="{votes["1"]}"' not in page  # blind: the first entry's numbers are not shown
    tps_page = c.get(f"/hasil/tps/{TPS}/?pemilihan=uji")  # clerks enter results, they do not read them
    assert tps_page.status_code == 403 and str(numbers["surat_diterima"]) not in tps_page.content.decode()
    assert c.post(URL, form(votes, numbers, "e2")).status_code == 302
    assert TpsResult.objects.get().state == State.VERIFIED


def test_same_clerk_second_entry_refused(client, photographed, users):
    votes, numbers = good_form()
    c = login(client, "clerk")
    c.post(URL, form(votes, numbers, "e1"))
    resp = c.post(URL, form(votes, numbers, "e2"))
    assert resp.status_code == 403
    assert Submission.objects.count() == 1 and TpsResult.objects.get().state == State.ENTERED


def test_saksi_and_observer_cannot_use_clerk_entry(client, photographed, users):
    votes, numbers = good_form()
    for name in ("saksi", "observer"):
        c = login(client, name)
        assert c.get("/hasil/entri/?pemilihan=uji").status_code == 403
        assert c.post(URL, form(votes, numbers, f"x-{name}")).status_code == 403
        c.logout()
    assert not Submission.objects.exists()


def test_clerk_bad_input_refused(client, photographed, users):
    votes, numbers = good_form()
    c = login(client, "clerk")
    resp = c.post(URL, form({**votes, "3": "1,5"}, numbers, "b"))
    assert resp.status_code == 400 and "angka bulat" in resp.content.decode()
    assert not Submission.objects.exists()
