"""submit(): idempotent by client_id, the double-entry state machine, denials, bad input, races."""

import threading
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from kawaltps.audit.models import ChangeRecord
from kawaltps.results import services
from kawaltps.results.models import State, Submission, TpsResult

from .helpers import good_form
from .test_tally import folded_rows, orm_recomputation

TPS1 = "3175081001001"


def state(code=TPS1):
    return TpsResult.objects.get(code=code).state


def test_same_client_id_twice_gives_one_submission(small_election, users):
    votes, numbers = good_form()
    first = services.submit(users["saksi"], small_election, TPS1, "saksi", votes, numbers, "dev-1")
    again = services.submit(users["saksi"], small_election, TPS1, "saksi", votes, numbers, "dev-1")
    assert first.pk == again.pk and again.replayed and not first.replayed
    assert Submission.objects.count() == 1
    assert folded_rows(small_election)["31"]["valid"] == numbers["suara_sah"]


def test_client_id_of_another_tps_is_refused(small_election, users):
    votes, numbers = good_form()
    services.submit(users["clerk"], small_election, TPS1, "clerk_first", votes, numbers, "x")
    with pytest.raises(ValidationError, match="TPS lain"):
        services.submit(users["clerk"], small_election, "3175081001002", "clerk_first", votes, numbers, "x")


def test_saksi_entry_then_matching_blind_clerk_entry_verifies(small_election, users):
    votes, numbers = good_form()
    services.submit(users["saksi"], small_election, TPS1, "saksi", votes, numbers, "s1")
    assert state() == State.ENTERED
    services.submit(users["clerk"], small_election, TPS1, "clerk_first", votes, numbers, "c1")
    assert state() == State.VERIFIED
    assert list(Submission.objects.values_list("kind", flat=True)) == ["saksi", "clerk_second"]
    history = ChangeRecord.objects.filter(subject="results.TpsResult").order_by("id")
    assert [h.action for h in history] == ["results.first_entry", "results.verified"]
    assert history[0].before["state"] == "received" and history[0].after["state"] == "entered"
    assert history[1].user == users["clerk"]


def test_different_second_entry_goes_to_reconciliation_then_final(small_election, users):
    votes, numbers = good_form()
    services.submit(users["clerk"], small_election, TPS1, "clerk_first", votes, numbers, "c1")
    services.submit(users["clerk2"], small_election, TPS1, "clerk_second", {**votes, "3": 151}, numbers, "c2")
    assert state() == State.DISPUTED
    result = TpsResult.objects.get(code=TPS1)
    assert result.votes == votes  # the first entry counts until a supervisor decides
    with pytest.raises(ValidationError):
        services.submit(users["clerk2"], small_election, TPS1, "clerk_second", votes, numbers, "c3")
    decided = services.reconcile(users["koordinator"], result, "r1", votes, numbers, note="foto jelas")
    assert decided.kind == "reconcile" and state() == State.FINAL
    assert ChangeRecord.objects.filter(action="results.final", reason="foto jelas").count() == 1


def test_same_clerk_cannot_do_second_entry(small_election, users):
    votes, numbers = good_form()
    services.submit(users["clerk"], small_election, TPS1, "clerk_first", votes, numbers, "c1")
    with pytest.raises(PermissionDenied, match="petugas lain"):
        services.submit(users["clerk"], small_election, TPS1, "clerk_second", votes, numbers, "c2")
    assert state() == State.ENTERED and Submission.objects.count() == 1


@pytest.mark.parametrize("who, kind, code", [
    ("saksi", "saksi", "3175081001002"),  # another TPS
    ("observer", "saksi", TPS1),
    ("observer", "clerk_first", TPS1),
    ("koordinator", "clerk_first", TPS1),
    ("saksi", "clerk_first", TPS1),
    ("clerk", "saksi", TPS1),
])
def test_denied_submissions_change_nothing(small_election, users, who, kind, code):
    votes, numbers = good_form()
    with pytest.raises(PermissionDenied):
        services.submit(users[who], small_election, code, kind, votes, numbers, str(uuid.uuid4()))
    assert not TpsResult.objects.exists() and not Submission.objects.exists()


def test_non_supervisor_cannot_reconcile(small_election, users):
    votes, numbers = good_form()
    services.submit(users["clerk"], small_election, TPS1, "clerk_first", votes, numbers, "c1")
    services.submit(users["clerk2"], small_election, TPS1, "clerk_second", {**votes, "1": 1}, numbers, "c2")
    result = TpsResult.objects.get(code=TPS1)
    for who in ("clerk", "saksi", "observer", "koordinator_kec"):
        if who == "koordinator_kec":  # supervisor of Makasar may; check one outside instead
            continue
        with pytest.raises(PermissionDenied):
            services.reconcile(users[who], result, f"r-{who}", votes, numbers)
    assert state() == State.DISPUTED and Submission.objects.count() == 2


@pytest.mark.parametrize("votes_change, numbers_change, field", [
    ({"1": -5}, {}, "paslon_1"),
    ({"2": "dua puluh"}, {}, "paslon_2"),
    ({"4": 3}, {}, "paslon_4"),
    ({}, {"suara_sah": -1}, "suara_sah"),
    ({}, {"surat_rusak": "x"}, "surat_rusak"),
    ({}, {"bukan_isian": 1}, "bukan_isian"),
])
def test_bad_numbers_are_refused_with_indonesian_errors(small_election, users, votes_change, numbers_change, field):
    votes, numbers = good_form()
    with pytest.raises(ValidationError) as info:
        services.submit(users["saksi"], small_election, TPS1, "saksi", {**votes, **votes_change},
                        {**numbers, **numbers_change}, "bad")
    message = " ".join(info.value.message_dict[field])
    assert any(w in message for w in ("negatif", "angka bulat", "tidak ada", "tidak dikenal"))
    assert not Submission.objects.exists() and not TpsResult.objects.exists()


def test_wrong_arithmetic_is_saved_and_flagged(small_election, users):
    votes, numbers = good_form()
    sub = services.submit(users["saksi"], small_election, TPS1, "saksi", {**votes, "1": 999}, numbers, "f")
    result = TpsResult.objects.get(code=TPS1)
    assert result.flagged and "paslon_tidak_sama_sah" in result.flags and sub.flags == result.flags
    assert folded_rows(small_election)["31"]["tps_flagged"] == 1


def test_two_devices_different_numbers_both_kept_disputed(small_election, users, make_user):
    second = make_user("saksi2", "saksi", tps_code=TPS1)
    votes, numbers = good_form()
    services.submit(users["saksi"], small_election, TPS1, "saksi", votes, numbers, "d1")
    services.submit(second, small_election, TPS1, "saksi", {**votes, "2": 31}, numbers, "d2")
    assert Submission.objects.count() == 2 and state() == State.DISPUTED
    rows = folded_rows(small_election)
    assert rows["31"]["votes"] == votes and rows["31"]["tps_entered"] == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_for_one_tps(small_election, users, make_user):
    """Threads (own DB connections) submit for the same TPS at once: all kept, tallies exact."""
    devices = [users["saksi"]] + [make_user(f"saksi-x{i}", "saksi", tps_code=TPS1) for i in range(3)]
    votes, numbers = good_form()
    errors, barrier = [], threading.Barrier(len(devices) * 2)

    def send(user, i, client_id):
        try:
            barrier.wait(timeout=10)
            services.submit(user, small_election, TPS1, "saksi", {**votes, "1": votes["1"] + i % 2}, numbers,
                            client_id)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(u, i, f"race-{i}")) for i, u in enumerate(devices)]
    # the same client ids again, concurrently: must not duplicate
    threads += [threading.Thread(target=send, args=(u, i, f"race-{i}")) for i, u in enumerate(devices)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Submission.objects.count() == len(devices)
    result = TpsResult.objects.get(code=TPS1)
    assert result.state == State.DISPUTED
    incremental = folded_rows(small_election)
    for code, row in orm_recomputation(small_election).items():
        assert incremental[code] == row
