"""The board's SQL aggregation pinned on hand-built check-ins: per region, TPS with 0, some and all
saksi present (distinct saksi, a repeated check-in counts once), far check-ins, refused mandates,
and the scope of the user asking."""

import uuid

from django.utils import timezone

from kawaltps.deployment.services import settings_for
from kawaltps.fieldday import board
from kawaltps.fieldday.models import CheckIn
from kawaltps.regions.models import TPS


def _check_in(tps, user, *, far=False, refused=False):
    CheckIn.objects.create(election=tps.election, tps=tps, tps_code=tps.code, user=user, client_id=uuid.uuid4(),
                           at=timezone.now(), far=far, mandate_accepted=False if refused else None)


def test_counts_per_region_with_none_some_and_all_present(small_election, make_user, users):
    conf = settings_for(small_election)
    conf.saksi_per_tps = 2
    conf.save()
    t = {x.code: x for x in TPS.objects.filter(election=small_election)}
    a, b, c = (make_user(f"s{i}", "saksi") for i in range(3))
    _check_in(t["3175081001001"], a)                      # 1 of 2: some
    _check_in(t["3175081001001"], a, far=True)            # the same saksi again: still 1
    _check_in(t["3175081001002"], b, refused=True)        # 2 of 2: all
    _check_in(t["3175081001002"], c)
    _check_in(t["3171011001001"], c, far=True)            # 1 of 2: some; 3175081002* and 3171011001002: none
    data = board.board(small_election, "31")
    rows = {r["code"]: r for r in data["rows"]}
    assert set(rows) == {"3171", "3175"}
    assert {k: rows["3175"][k] for k in ("tps", "none", "some", "all", "far", "mandate_refused")} == \
        {"tps": 4, "none": 2, "some": 1, "all": 1, "far": 1, "mandate_refused": 1}
    assert {k: rows["3171"][k] for k in ("tps", "none", "some", "all", "far", "mandate_refused")} == \
        {"tps": 2, "none": 1, "some": 1, "all": 0, "far": 1, "mandate_refused": 0}
    assert data["total"] == {"code": "31", "name": "", "tps": 6, "none": 3, "some": 2, "all": 1, "far": 2,
                             "mandate_refused": 1}
    tps_rows = {r["code"]: (r["none"], r["some"], r["all"]) for r in board.board(small_election, "3175081001")["rows"]}
    assert tps_rows == {"3175081001001": (0, 1, 0), "3175081001002": (0, 0, 1)}
    kel = {r["code"]: r["none"] for r in board.board(small_election, "31", width=10)["rows"]}
    assert kel == {"3171011001": 1, "3175081001": 0, "3175081002": 2}
    conf.saksi_per_tps = 1  # one wanted: every TPS with a saksi is complete
    conf.save()
    total = board.board(small_election, "31")["total"]
    assert (total["none"], total["some"], total["all"]) == (3, 0, 3)
    scoped = board.board(small_election, "", users["koordinator_kec"])  # Makasar only: 3171 is not counted
    assert scoped["total"]["tps"] == 4 and scoped["total"]["far"] == 1 and [r["code"] for r in scoped["rows"]] == ["31"]
    assert board.board(small_election, "3171", users["koordinator_kec"])["total"]["tps"] == 0
