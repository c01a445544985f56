"""rebuild_tallies with pending TallyDelta rows: the rebuild drops them, nothing is counted twice."""

from kawaltps.results import services
from kawaltps.results.models import TallyDelta
from kawaltps.results.tabulation import rebuild_tallies, tabulate
from kawaltps.results.tally import fold_pending, recompute_tallies, tally_rows

from .helpers import good_form


def _enter(users, election, code, votes, clerks=("clerk", "clerk2")):
    v, n = good_form(votes)
    for i, who in enumerate(clerks):
        services.submit(users[who], election, code, "clerk_first", v, n, f"{code}-{who}-{i}")


def test_rebuild_with_pending_deltas_does_not_double_count(small_election, users):
    rebuild_tallies(small_election, "witness")  # rows exist, all zero
    _enter(users, small_election, "3175081001001", (120, 30, 150))  # verified
    _enter(users, small_election, "3175081001002", (10, 20, 30), clerks=("clerk",))  # entered
    assert TallyDelta.objects.filter(election=small_election).count() >= 2  # pending, not folded

    rebuild_tallies(small_election, "witness")
    assert TallyDelta.objects.filter(election=small_election, source="witness").count() == 0
    assert fold_pending(small_election) == 0
    ours = tally_rows(small_election, "witness")
    recompute_tallies(small_election, "witness")
    assert tally_rows(small_election, "witness") == ours
    assert ours["31"]["votes"] == {"1": 130, "2": 50, "3": 180}
    assert ours["31"]["tps_entered"] == 2 and ours["31"]["tps_verified"] == 1

    # Deltas made after the rebuild are folded on top of it, once.
    _enter(users, small_election, "3171011001001", (1, 2, 3), clerks=("clerk",))
    row = tabulate(small_election, 1, "witness")[0]
    assert row["votes"] == {"1": 131, "2": 52, "3": 183}
    assert row["coverage"] == {"verified": 1, "entered": 2, "disputed": 0, "received": 0, "missing": 3, "total": 6,
                               "with_numbers": 3, "partial": {}}
    before = tally_rows(small_election, "witness")
    recompute_tallies(small_election, "witness")
    assert tally_rows(small_election, "witness") == before


def test_rebuild_keeps_the_other_sources_deltas(small_election, users):
    _enter(users, small_election, "3175081001001", (120, 30, 150), clerks=("clerk",))
    pending = TallyDelta.objects.filter(election=small_election, source="witness").count()
    assert pending == 1
    rebuild_tallies(small_election, "official")  # another source: witness deltas stay pending
    assert TallyDelta.objects.filter(election=small_election, source="witness").count() == pending
    assert fold_pending(small_election) == pending
    assert tabulate(small_election, 1, "witness")[0]["votes"] == {"1": 120, "2": 30, "3": 150}
