"""The device path of ``POST /api/results/submissions`` (bearer token; on PostgreSQL the two-statement
path of ``results/fastpath.py``): the same guarantees as ``services.submit``, checked through HTTP."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from kawaltps.audit.models import ChangeRecord
from kawaltps.people.models import ApiToken
from kawaltps.results import fastpath, services
from kawaltps.results.models import State, Submission, TallyDelta, TpsResult

from .helpers import good_form
from .test_tally import folded_rows, orm_recomputation

TPS = "3175081001001"
URL = "/api/results/submissions"


def bearer(user) -> dict:
    _, key = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, headers, cid, tps=TPS, votes=None, **over):
    v, numbers = good_form()
    data = {"client_id": cid, "election": "uji", "tps": tps, "votes": votes or v, "numbers": numbers, **over}
    return client.post(URL, data, content_type="application/json", **headers)


def test_revoked_token_is_refused_at_once(client, users, small_election):
    token, key = ApiToken.issue(users["saksi"])
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert post(client, h, "rv-1").status_code == 201
    token.revoked = True
    token.save()
    r = post(client, h, "rv-2", votes={"1": 121, "2": 30, "3": 150})
    assert r.status_code == 401
    assert list(Submission.objects.values_list("client_id", flat=True)) == ["rv-1"]


def test_token_of_inactive_user_is_refused(client, users, small_election):
    h = bearer(users["saksi"])
    users["saksi"].is_active = False
    users["saksi"].save()
    assert post(client, h, "in-1").status_code == 401
    assert not Submission.objects.exists() and not TpsResult.objects.exists()


def test_wrong_token_and_unknown_election(client, users, small_election):
    assert post(client, {"HTTP_AUTHORIZATION": "Bearer ktps_nope"}, "w-1").status_code == 401
    r = post(client, bearer(users["saksi"]), "w-2", election="tidak-ada")
    assert r.status_code == 404
    assert not Submission.objects.exists()


def test_session_still_works(client, users, small_election):
    client.force_login(users["saksi"])
    r = post(client, {}, "s-1")
    assert r.status_code == 201 and r.json()["state"] == "entered"


def test_audit_record_delta_and_states(client, users, small_election, make_user):
    """First entry, a differing second device, a replay: audit before/after, one delta per change."""
    second = make_user("saksi-b", "saksi", tps_code=TPS)
    votes, _ = good_form()
    r1 = post(client, bearer(users["saksi"]), "a-1")
    assert r1.status_code == 201 and r1.json()["kind"] == "saksi" and r1.json()["state"] == "entered"
    r2 = post(client, bearer(second), "a-2", votes={**votes, "2": 31})
    assert r2.status_code == 201 and r2.json()["state"] == "disputed"
    flags = r2.json()["flags"]
    assert [f["code"] for f in flags] == ["paslon_tidak_sama_sah"] and "tidak sama" in flags[0]["message"]
    again = post(client, bearer(second), "a-2", votes={**votes, "2": 31})
    assert again.status_code == 200 and again.json()["replayed"] and again.json()["id"] == r2.json()["id"]

    result = TpsResult.objects.get(code=TPS)
    assert result.state == State.DISPUTED and result.version == 2 and result.votes == votes
    records = list(ChangeRecord.objects.filter(code=TPS).order_by("id"))
    assert [c.action for c in records] == ["results.first_entry", "results.disputed"]
    first, dispute = records
    assert first.before == {"state": "received", "votes": {}, "numbers": {}, "flags": []}
    assert first.after["state"] == "entered" and first.after["submission"] == r1.json()["id"]
    assert first.after["kind"] == "saksi" and first.user_id == users["saksi"].pk and first.actor == "saksi"
    assert first.object_id == str(result.pk) and first.subject == "results.TpsResult"
    assert dispute.before["state"] == "entered" and dispute.after["state"] == "disputed"
    assert dispute.after["submission"] == r2.json()["id"] and dispute.user_id == second.pk
    sub = Submission.objects.get(client_id="a-2")
    assert sub.entered_by_id == second.pk and sub.votes["2"] == 31 and sub.flags == ["paslon_tidak_sama_sah"]
    assert TallyDelta.objects.filter(code=TPS).count() == 2  # entered (+votes), then disputed (+1 counter)
    assert folded_rows(small_election) == orm_recomputation(small_election)


def test_unknown_tps_and_bad_numbers_change_nothing(client, users, small_election):
    h = bearer(users["clerk"])
    r = post(client, h, "b-1", tps="3175081009009")
    assert r.status_code == 422 and "tidak ada dalam pemilihan" in r.json()["detail"]
    r = post(client, h, "b-2", numbers={"suara_sah": "banyak"})
    assert r.status_code == 422 and "angka bulat" in r.json()["errors"]["suara_sah"][0]
    assert not Submission.objects.exists() and not TpsResult.objects.exists() and not ChangeRecord.objects.exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the two-statement path runs on PostgreSQL")
def test_stale_read_writes_nothing(users, small_election):
    """A result changed between the read and the write: the write touches nothing (optimistic check)."""
    votes, numbers = good_form()
    services.submit(users["saksi"], small_election, TPS, "saksi", votes, numbers, "st-0")
    key = ApiToken.issue(users["clerk"])[1]
    row = fastpath._read(key, "uji", TPS, "st-1")
    election, tps, result = fastpath._as_orm(row, "uji", TPS)
    services.submit(users["clerk2"], small_election, TPS, "clerk_first", votes, numbers, "st-2")  # moves on
    clerk = fastpath._user(row)
    assert fastpath._write(clerk, election, tps, result, "clerk_first", votes, numbers, "st-1", "", row[27]) is None
    assert not Submission.objects.filter(client_id="st-1").exists()
    assert ChangeRecord.objects.filter(code=TPS).count() == 2 and TallyDelta.objects.count() == 2
    # the whole call reads the new state: verified, so a clerk's entry is refused, nothing stored
    with pytest.raises(ValidationError, match="tidak menunggu entri"):
        fastpath.submit(key, "uji", TPS, "clerk", votes, numbers, "st-1")
    assert Submission.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_devices_over_http(small_election, users, make_user):
    """4 devices (twice each: the same client_ids race) submit for one TPS at once over HTTP."""
    devices = [users["saksi"]] + [make_user(f"saksi-c{i}", "saksi", tps_code=TPS) for i in range(3)]
    headers = [bearer(u) for u in devices]
    votes, _ = good_form()
    answers, errors, barrier = [], [], threading.Barrier(len(devices) * 2)

    def send(i):
        try:
            barrier.wait(timeout=10)
            r = post(Client(), headers[i], f"race-{i}", votes={**votes, "1": votes["1"] + i % 2})
            answers.append((i, r.status_code, r.json()))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(devices))]
    threads += [threading.Thread(target=send, args=(i,)) for i in range(len(devices))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(s for _, s, _ in answers).count(201) == len(devices)  # one 201 per client_id, retries 200
    ids = {}
    for i, _status, data in answers:
        assert ids.setdefault(i, data["id"]) == data["id"]
    assert Submission.objects.count() == len(devices)
    result = TpsResult.objects.get(code=TPS)
    assert result.state == State.DISPUTED and result.version == len(devices)
    assert ChangeRecord.objects.filter(code=TPS).count() == len(devices)
    assert folded_rows(small_election) == orm_recomputation(small_election)
