"""Blind double entry holds on every door (defects issue #8 item 2): the second clerk reads the first
entry's numbers nowhere — dashboard page, ``/hasil/data.json``, TPS page, API, ``tabulate`` export —
while a koordinator and an observer still see them. One rule decides: ``access.visibility``."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from kawaltps.access import rules
from kawaltps.access.rules import Action
from kawaltps.people.models import ApiToken, Role
from kawaltps.results import services
from kawaltps.results.models import State, TpsResult
from kawaltps.results.tabulation import rebuild_tallies

from .conftest import make_jpeg
from .helpers import good_form
from .importing import run_json

TPS = "3175081001001"
KEL = "3175081001"
VOTES = (123, 31, 157)  # numbers that appear nowhere else on the pages


@pytest.fixture
def entered(small_election, users):
    """TPS 3175081001001 entered by clerk 1, waiting for a blind second entry."""
    rebuild_tallies(small_election, "witness")
    votes, numbers = good_form(VOTES)
    services.submit(users["clerk"], small_election, TPS, "clerk_first", votes, numbers, "first-1")
    assert TpsResult.objects.get(code=TPS).state == State.ENTERED
    return small_election


def doors(client, user) -> dict[str, object]:
    """Every way a browser or device reads results, as ``user``."""
    client.force_login(user)
    q = {"pemilihan": "uji"}
    _, key = ApiToken.issue(user)
    return {
        "dashboard": client.get(reverse("results:dashboard"), q),
        "dashboard_kelurahan": client.get(reverse("results:dashboard_region", args=[KEL]), q),
        "dashboard_kota": client.get(reverse("results:dashboard_region", args=["3175"]), q),
        "data_json": client.get(reverse("results:dashboard_json"), {**q, "wilayah": KEL}),
        "data_json_default": client.get(reverse("results:dashboard_json"), q),
        "tps_page": client.get(reverse("results:tps", args=[TPS]), q),
        "api": client.get(f"/api/results/uji/tps/{TPS}", HTTP_AUTHORIZATION=f"Bearer {key}"),
    }


def test_second_clerk_reads_no_numbers_anywhere(client, entered, users):
    for name, r in doors(client, users["clerk2"]).items():
        assert r.status_code == 403, name
        assert str(VOTES[0]) not in r.content.decode(), name


def test_first_clerk_reads_no_results_either(client, entered, users):
    """Clerks enter results; they do not read them (no VIEW_RESULTS), so no dashboard at all."""
    for name, r in doors(client, users["clerk"]).items():
        assert r.status_code == 403, name


def test_koordinator_and_observer_still_see_the_entered_numbers(client, entered, users):
    for who in ("koordinator", "observer", "admin"):
        got = doors(client, users[who])
        for name in ("dashboard_kelurahan", "dashboard_kota", "data_json", "tps_page", "api"):
            assert got[name].status_code == 200, (who, name)
        row = next(t for t in got["data_json"].json()["tps"] if t["code"] == TPS)
        assert row["votes"] == {"1": 123, "2": 31, "3": 157}
        assert got["api"].json()["votes"] == {"1": 123, "2": 31, "3": 157}
        assert "123" in got["dashboard_kelurahan"].content.decode()


def test_clerk_menu_has_no_dashboard_but_keeps_entry(client, entered, users):
    photo = services.add_photo(users["saksi"], entered, TPS, 1, make_jpeg())
    client.force_login(users["clerk2"])
    home = client.get("/").content.decode()
    assert f'href="{reverse("results:dashboard")}"' not in home
    assert reverse("results:entry_queue") in home
    queue = client.get(reverse("results:entry_queue"), {"pemilihan": "uji"})  # what entry needs still works
    assert queue.status_code == 200 and TPS in queue.content.decode()
    entry = client.get(reverse("results:entry", args=[TPS]), {"pemilihan": "uji"})
    assert entry.status_code == 200 and 'value="123"' not in entry.content.decode()
    assert client.get(reverse("results:photo", args=[photo.pk])).status_code == 200  # entry reads the photos


def test_tabulate_export_asks_the_same_rule(entered, users):
    assert run_json("tabulate", "--election", "uji", "--level", "kelurahan", "--user", "clerk2")["rows"] == []
    rows = run_json("tabulate", "--election", "uji", "--level", "kelurahan", "--user", "koord")["rows"]
    assert [r["code"] for r in rows] == ["3175081001", "3175081002"]  # the koordinator's area only
    assert rows[0]["votes"] == {"1": 123, "2": 31, "3": 157}
    with pytest.raises(CommandError, match="tidak berwenang"):
        call_command("tabulate", "--election", "uji", "--level", "kelurahan", "--within", "3175", "--user", "clerk2")
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("tabulate", "--election", "uji", "--level", "kelurahan", "--user", "nobody")


def test_a_reader_who_may_also_enter_sees_no_entered_numbers(client, entered, users, monkeypatch):
    """The rule is about states, not a role name: a reader who may also enter (and not reconcile)
    gets no region totals, and a TPS's numbers only once it left the blind state."""
    monkeypatch.setitem(rules.ROLE_ACTIONS, Role.OBSERVER,
                        rules.ROLE_ACTIONS[Role.OBSERVER] | {Action.ENTER_RESULT})
    got = doors(client, users["observer"])
    assert got["dashboard_kelurahan"].status_code == 403 and got["data_json"].status_code == 403
    assert got["tps_page"].status_code == 200 and "123" not in got["tps_page"].content.decode()
    assert "disembunyikan" in got["tps_page"].content.decode()
    assert got["api"].status_code == 200 and got["api"].json()["votes"] is None
    votes, numbers = good_form(VOTES)
    services.submit(users["clerk2"], entered, TPS, "clerk_first", votes, numbers, "second-1")
    assert TpsResult.objects.get(code=TPS).state == State.VERIFIED
    got = doors(client, users["observer"])
    assert got["api"].json()["votes"] == {"1": 123, "2": 31, "3": 157}
    assert "123" in got["tps_page"].content.decode()
