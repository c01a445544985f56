"""fold_pending: pending deltas folded into RegionTally exactly once, also with concurrent submitters
and folders (threads with their own connections: real row locks on PostgreSQL, IMMEDIATE on SQLite)."""

import io
import json
import threading
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, transaction

from kawaltps.results import services
from kawaltps.results.models import TallyDelta
from kawaltps.results.tabulation import rebuild_tallies
from kawaltps.results.tally import fold_pending, recompute_tallies, tally_rows

from .helpers import good_form
from .test_tally import folded_rows, orm_recomputation

TPS = ["3175081001001", "3175081001002", "3175081002001", "3175081002002", "3171011001001", "3171011001002"]


def run(threads):
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def assert_equals_recomputation(election):
    rows = folded_rows(election)
    for code, row in orm_recomputation(election).items():
        assert rows[code] == row, code
    rebuild_tallies(election, "witness")  # tabulation's bulk rebuild writes the same rows
    rebuilt = tally_rows(election, "witness")
    for code, row in rows.items():
        assert rebuilt[code] == row, code


def test_fold_twice_counts_once_and_a_rolled_back_fold_changes_nothing(small_election, users):
    votes, numbers = good_form()
    services.submit(users["clerk"], small_election, TPS[0], "clerk_first", votes, numbers, "f1")
    services.submit(users["clerk"], small_election, TPS[4], "clerk_first", votes, numbers, "f2")
    assert TallyDelta.objects.count() == 2
    # a crash after folding, before commit: the fold and the delete roll back together
    with pytest.raises(RuntimeError), transaction.atomic():
        assert fold_pending(small_election) == 2
        raise RuntimeError("crash")
    assert TallyDelta.objects.count() == 2 and tally_rows(small_election, "witness") == {}
    assert fold_pending(small_election) == 2
    assert fold_pending(small_election) == 0  # nothing left: folding again adds nothing
    rows = tally_rows(small_election, "witness")
    assert rows["31"]["valid"] == 2 * numbers["suara_sah"] and rows["31"]["tps_entered"] == 2
    assert rows["31"]["tps_total"] == 6 and rows["3175"]["tps_total"] == 4 and rows["3175081001"]["tps_total"] == 2
    for code, row in orm_recomputation(small_election).items():
        assert rows[code] == row, code


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_submissions_and_a_folder_then_fold_equals_recomputation(small_election, users):
    """8 threads submit 96 entries over 6 TPS (first entries, equal and differing resends, blind second
    entries, retries of the same client_id) while another thread folds; then fold once more."""
    entries = [(users["admin"], "saksi"), (users["clerk"], "clerk_first"), (users["clerk2"], "clerk_first")]
    errors, done = [], threading.Event()
    barrier = threading.Barrier(9)

    def submitter(n):
        try:
            barrier.wait(timeout=20)
            for i in range(12):
                who, kind = entries[(n + i) % 3]
                votes, numbers = good_form(votes=(100 + (i * n) % 3, 30, 150))
                client_id = f"c-{n}-{i}" if i % 5 else f"c-{n}-0"  # every 5th resends the thread's first id
                try:
                    services.submit(who, small_election, TPS[(n + i) % 6], kind, votes, numbers, client_id)
                except (PermissionDenied, ValidationError):
                    pass  # e.g. a clerk's entry for a TPS already verified: refused, nothing changes
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    def folder():
        try:
            barrier.wait(timeout=20)
            while not done.is_set():
                fold_pending(small_election)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    subs = [threading.Thread(target=submitter, args=(n,)) for n in range(8)]
    fold_thread = threading.Thread(target=folder)
    fold_thread.start()
    run(subs)
    done.set()
    fold_thread.join()
    assert errors == []
    assert_equals_recomputation(small_election)
    assert tally_rows(small_election, "witness")["31"]["tps_entered"] == 6


@pytest.mark.django_db(transaction=True)
def test_two_folders_at_once_fold_each_delta_once(small_election, users):
    for i in range(60):
        votes, numbers = good_form(votes=(100 + i, 30, 150))
        services.submit(users["admin"], small_election, TPS[i % 6], "saksi", votes, numbers, str(uuid.uuid4()))
    pending = TallyDelta.objects.count()
    assert pending >= 6
    counts, errors = [], []
    barrier = threading.Barrier(2)

    def fold():
        try:
            barrier.wait(timeout=20)
            counts.append(fold_pending(small_election))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    run([threading.Thread(target=fold) for _ in range(2)])
    assert errors == [] and sum(counts) == pending
    assert not TallyDelta.objects.exists()
    rows = tally_rows(small_election, "witness")
    for code, row in orm_recomputation(small_election).items():
        assert rows[code] == row, code
    recompute_tallies(small_election, "witness")
    for code, row in rows.items():
        assert tally_rows(small_election, "witness")[code] == row, code


def _cmd(*args) -> dict:
    out = io.StringIO()
    call_command("fold_tallies", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_fold_tallies_command(small_election, users):
    votes, numbers = good_form()
    services.submit(users["clerk"], small_election, TPS[0], "clerk_first", votes, numbers, "k1")
    assert _cmd("--election", "uji") == {"election": "uji", "rounds": 1, "deltas_folded": 1}
    services.submit(users["clerk2"], small_election, TPS[0], "clerk_first", votes, numbers, "k2")
    assert _cmd("--loop", "0.01", "--rounds", "3") == {"election": None, "rounds": 3, "deltas_folded": 1}
    assert tally_rows(small_election, "witness")["31"]["tps_verified"] == 1


def test_fold_tallies_command_bad_input(small_election):
    for args, word in ((("--election", "tidak-ada"), "tidak ditemukan"), (("--loop", "0"), "lebih dari 0")):
        out = io.StringIO()
        with pytest.raises(SystemExit):
            call_command("fold_tallies", *args, "--json", stdout=out)
        assert word in json.loads(out.getvalue())["error"]
