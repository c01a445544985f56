"""Reconciliation: disputed TPS in the supervisor's queue, entries side by side, the decision is final."""

import pytest

from kawaltps.audit.models import ChangeRecord
from kawaltps.results import services
from kawaltps.results.models import State, Submission, TpsResult
from tests.conftest import PASSWORD

from .conftest import make_jpeg
from .helpers import good_form

TPS = "3175081001001"
URL = f"/hasil/rekonsiliasi/{TPS}/?pemilihan=uji"


@pytest.fixture
def disputed(small_election, users):
    votes, numbers = good_form()
    services.submit(users["clerk"], small_election, TPS, "clerk_first", votes, numbers, "d1",
                    photos=[(2, make_jpeg(seed=5))])
    services.submit(users["clerk2"], small_election, TPS, "clerk_second", {**votes, "3": 105}, numbers, "d2")
    return TpsResult.objects.get(code=TPS)


def test_supervisor_sees_both_entries_and_decides(client, disputed, users):
    client.login(username="koord", password=PASSWORD)
    queue = client.get("/hasil/rekonsiliasi/?pemilihan=uji").content.decode()
    assert TPS in queue
    assert "TPS 001 Makasar" in queue  # the kelurahan is named, not only the code
    page = client.get(URL).content.decode()
    assert 'class="differs"' in page and ">105<" in page and ">150<" in page and "/hasil/foto/" in page
    second = Submission.objects.get(client_id="d2")
    resp = client.post(URL, {"submission": second.pk, "note": "foto halaman 2 terbaca 105", "client_id": "r1"})
    assert resp.status_code == 302
    result = TpsResult.objects.get(code=TPS)
    assert result.state == State.FINAL and result.votes["3"] == 105
    record = ChangeRecord.objects.get(action="results.final")
    assert record.user == users["koordinator"] and record.before["votes"]["3"] == 150
    assert record.after["votes"]["3"] == 105
    history = client.get(f"/hasil/tps/{TPS}/?pemilihan=uji").content.decode()
    assert "Paslon 03: 150 → 105" in history and "Diputuskan supervisor: final" in history
    assert "results.final" not in history  # the action in words, never its code


@pytest.mark.parametrize("name", ["clerk", "saksi", "observer", "legal"])
def test_non_supervisors_cannot_reconcile(client, disputed, users, name):
    client.login(username=name, password=PASSWORD)
    assert client.get(URL).status_code == 403
    first = Submission.objects.get(client_id="d1")
    assert client.post(URL, {"submission": first.pk, "note": "x", "client_id": f"r-{name}"}).status_code == 403
    assert TpsResult.objects.get(code=TPS).state == State.DISPUTED


def test_supervisor_of_another_region_cannot(client, disputed, make_user):
    make_user("koord-pusat", "koordinator", "3171")
    client.login(username="koord-pusat", password=PASSWORD)
    assert TPS not in client.get("/hasil/rekonsiliasi/?pemilihan=uji").content.decode()
    assert client.get(URL).status_code == 403
