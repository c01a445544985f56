"""Region tallies kept incrementally (deltas folded by tally.fold_pending) equal a from-scratch recomputation."""

import uuid

from django.db.models import Count, Q, Sum

from kawaltps.results import services
from kawaltps.results.models import RegionTally, State, TallyDelta, TpsResult
from kawaltps.results.tally import PREFIXES, fold_pending, recompute_tallies, tally_rows

from .helpers import good_form


def folded_rows(election) -> dict[str, dict]:
    """Fold the pending deltas, then the stored witness rows (what every reader of tallies sees)."""
    fold_pending(election)
    assert not TallyDelta.objects.filter(election=election).exists()
    return tally_rows(election, "witness")


def orm_recomputation(election) -> dict[str, dict]:
    """Sums per region prefix straight from TpsResult with the ORM (independent of tally.py)."""
    out = {}
    entered = ~Q(state=State.RECEIVED)
    for result in TpsResult.objects.filter(election=election).values_list("code", flat=True):
        for n in PREFIXES:
            code = result[:n]
            if code in out:
                continue
            qs = TpsResult.objects.filter(election=election, source="witness", code__startswith=code)
            agg = qs.aggregate(valid=Sum("valid", filter=entered), invalid=Sum("invalid", filter=entered),
                               total=Sum("total", filter=entered), tps_entered=Count("id", filter=entered),
                               tps_verified=Count("id", filter=Q(state__in=["verified", "final"])),
                               tps_disputed=Count("id", filter=Q(state="disputed")),
                               tps_flagged=Count("id", filter=Q(flagged=True)),
                               tps_received=Count("id", filter=Q(state=State.RECEIVED)))
            agg.update(qs.aggregate(  # a separate query: "valid" above names the Sum
                tps_valid_known=Count("id", filter=entered & Q(valid__isnull=False)),
                tps_invalid_known=Count("id", filter=entered & Q(invalid__isnull=False)),
                tps_total_known=Count("id", filter=entered & Q(total__isnull=False))))
            votes = {}
            for r in qs.filter(entered):
                for k, v in r.votes.items():
                    votes[k] = votes.get(k, 0) + v
            out[code] = {**{k: v or 0 for k, v in agg.items()}, "votes": {k: v for k, v in votes.items() if v},
                         "tps_total": election.tps_set.filter(code__startswith=code).count(),
                         "level": PREFIXES.index(n) + 1}
    return out


def test_incremental_tallies_equal_recomputation(small_election, users):
    e = small_election
    clerk, clerk2, koord = users["clerk"], users["clerk2"], users["koordinator"]
    votes, numbers = good_form()
    # saksi first entry, clerk verifies
    services.submit(users["saksi"], e, "3175081001001", "saksi", votes, numbers, "a1")
    services.submit(clerk, e, "3175081001001", "clerk_first", votes, numbers, "a2")
    # clerk first, clerk2 differs → disputed, supervisor decides
    services.submit(clerk, e, "3175081001002", "clerk_first", votes, numbers, "b1")
    bad_votes = {**votes, "1": votes["1"] + 7}
    services.submit(clerk2, e, "3175081001002", "clerk_second", bad_votes, numbers, "b2")
    result = TpsResult.objects.get(code="3175081001002")
    assert result.state == State.DISPUTED
    decided_votes, decided_numbers = good_form(votes=(127, 30, 150))
    services.reconcile(koord, result, "b3", decided_votes, decided_numbers)
    # a flagged first entry elsewhere
    services.submit(clerk, e, "3171011001001", "clerk_first", bad_votes, numbers, "c1")
    assert not RegionTally.objects.exists()  # submissions write no region row, only deltas
    assert TallyDelta.objects.count() == 6  # one per change that counts (an equal saksi resend adds none)
    incremental = folded_rows(e)
    expected = orm_recomputation(e)
    for code, row in expected.items():
        assert incremental[code] == row, code
    assert incremental["31"]["tps_entered"] == 3 and incremental["31"]["tps_verified"] == 2
    assert incremental["31"]["tps_flagged"] == 1
    assert incremental["31"]["votes"]["1"] == votes["1"] * 2 + 7 + votes["1"] + 7
    # the reference rebuild writes identical rows (plus zero rows for regions without results)
    recompute_tallies(e, "witness")
    rebuilt = tally_rows(e, "witness")
    for code, row in incremental.items():
        assert rebuilt[code] == row, code
    extra = set(rebuilt) - set(incremental)  # regions with TPS but no result yet: zero rows
    assert extra == {"3175081002"}
    assert rebuilt["3175081002"]["tps_total"] == 2 and rebuilt["3175081002"]["tps_entered"] == 0


def test_unchanged_resubmission_changes_no_tally(small_election, users):
    votes, numbers = good_form()
    services.submit(users["saksi"], small_election, "3175081001001", "saksi", votes, numbers, str(uuid.uuid4()))
    before = folded_rows(small_election)
    services.submit(users["saksi"], small_election, "3175081001001", "saksi", votes, numbers, str(uuid.uuid4()))
    assert not TallyDelta.objects.exists()
    assert folded_rows(small_election) == before
    assert RegionTally.objects.get(code="3175", election=small_election).tps_total == 4


def test_tabulation_rebuild_agrees_with_incremental(small_election, users):
    """tabulation.rebuild_tallies (the other engineer's bulk rebuild) must write the same rows."""
    from kawaltps.results.tabulation import rebuild_tallies

    votes, numbers = good_form()
    services.submit(users["saksi"], small_election, "3175081001001", "saksi", votes, numbers, "t1")
    services.submit(users["clerk"], small_election, "3171011001002", "clerk_first", {**votes, "2": 0}, numbers, "t2")
    incremental = folded_rows(small_election)
    rebuild_tallies(small_election, "witness")
    rebuilt = tally_rows(small_election, "witness")
    for code, row in incremental.items():
        assert rebuilt[code] == row, code
