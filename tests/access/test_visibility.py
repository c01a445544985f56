"""``access.visibility``: who may see a result's numbers in which state, both ways."""

import pytest

from kawaltps.access import may_see_numbers, may_see_region_numbers, visible_numbers_q, visible_states
from kawaltps.access.visibility import NUMBER_STATES
from kawaltps.results.models import State

JAKTIM_TPS = "3175081001001"
JAKPUS_TPS = "3171011001001"


@pytest.mark.django_db
class TestVisibility:
    def test_states_match_the_result_model(self):
        assert NUMBER_STATES | {"received"} == set(State.values)

    def test_clerks_see_no_numbers_in_any_state(self, users):
        for state in State.values:
            assert not may_see_numbers(users["clerk"], JAKTIM_TPS, state)
        assert not may_see_region_numbers(users["clerk"], "3175")
        assert not may_see_region_numbers(users["clerk"], "")

    def test_koordinator_sees_every_state_in_area_only(self, users):
        k = users["koordinator"]
        assert visible_states(k, JAKTIM_TPS) >= NUMBER_STATES
        assert may_see_numbers(k, JAKTIM_TPS, State.ENTERED)
        assert not may_see_numbers(k, JAKPUS_TPS, State.VERIFIED)
        assert may_see_region_numbers(k, "3175") and not may_see_region_numbers(k, "31")
        assert not may_see_region_numbers(k, "")

    def test_nationwide_readers(self, users):
        for who in ("observer", "legal", "admin"):
            assert may_see_region_numbers(users[who], "")
            assert may_see_numbers(users[who], JAKPUS_TPS, State.ENTERED)

    def test_saksi_own_tps_only_and_no_regions(self, users):
        s = users["saksi"]
        assert may_see_numbers(s, JAKTIM_TPS, State.ENTERED)
        assert not may_see_numbers(s, "3175081001002", State.VERIFIED)
        assert not may_see_region_numbers(s, "3175081001")

    def test_trainer_and_anonymous_see_nothing(self, users):
        from django.contrib.auth.models import AnonymousUser

        assert visible_states(users["trainer"], JAKTIM_TPS) == frozenset()
        assert visible_states(AnonymousUser(), JAKTIM_TPS) == frozenset()

    def test_queryset_filter(self, small_election, users):
        from kawaltps.regions.models import TPS
        from kawaltps.results.models import TpsResult
        from kawaltps.results.services import result_for

        for tps in TPS.objects.filter(election=small_election):
            result_for(small_election, tps)
        TpsResult.objects.filter(code=JAKTIM_TPS).update(state=State.ENTERED)
        qs = TpsResult.objects.all()
        assert qs.filter(visible_numbers_q(users["clerk"])).count() == 0
        assert qs.filter(visible_numbers_q(users["koordinator"])).count() == 4
        assert qs.filter(visible_numbers_q(users["observer"])).count() == 6
        assert list(qs.filter(visible_numbers_q(users["saksi"])).values_list("code", flat=True)) == [JAKTIM_TPS]
