"""The permission rules, both ways: what each role may do, and where it may not."""

import pytest
from django.core.exceptions import PermissionDenied

from kawaltps.access import Action, may, require, scope_q
from kawaltps.regions.models import Region

JAKTIM_TPS = "3175081001001"  # Makasar, Jakarta Timur
JAKPUS_TPS = "3171011001001"  # Gambir, Jakarta Pusat


@pytest.mark.django_db
class TestRoles:
    def test_admin_may_everything_everywhere(self, users):
        for action in Action:
            assert may(users["admin"], action, JAKPUS_TPS)

    def test_koordinator_within_area_only(self, users):
        k = users["koordinator"]
        assert may(k, Action.VIEW_RESULTS, JAKTIM_TPS)
        assert may(k, Action.MANAGE_VOLUNTEERS, "317508")
        assert not may(k, Action.VIEW_RESULTS, JAKPUS_TPS)
        assert not may(k, Action.MANAGE_VOLUNTEERS, "3171")
        assert not may(k, Action.MANAGE_ELECTIONS)
        assert not may(k, Action.ENTER_RESULT, JAKTIM_TPS)

    def test_kecamatan_koordinator_not_in_neighbouring_kecamatan(self, users):
        k = users["koordinator_kec"]
        assert may(k, Action.VIEW_RESULTS, "3175081002003")
        assert not may(k, Action.VIEW_RESULTS, "3175091001001")
        assert not may(k, Action.VIEW_RESULTS, "3175")  # the whole kota is larger than their area

    def test_saksi_only_their_tps(self, users):
        s = users["saksi"]
        assert may(s, Action.SUBMIT_RESULT, JAKTIM_TPS)
        assert not may(s, Action.SUBMIT_RESULT, "3175081001002")
        assert not may(s, Action.SUBMIT_RESULT, JAKPUS_TPS)
        assert may(s, Action.VIEW_REGION, "3175")  # the regions containing their TPS
        assert not may(s, Action.VIEW_RESULTS, "3175")
        assert not may(s, Action.VIEW_REGION, "3171")
        assert not may(s, Action.ENTER_RESULT, JAKTIM_TPS)
        assert not may(s, Action.VIEW_PERSONAL_DATA, JAKTIM_TPS)

    def test_clerk_enters_but_does_not_reconcile(self, users):
        c = users["clerk"]
        assert may(c, Action.ENTER_RESULT, JAKPUS_TPS)
        assert not may(c, Action.RECONCILE_RESULT, JAKPUS_TPS)
        assert not may(c, Action.SUBMIT_RESULT, JAKPUS_TPS)

    def test_scoped_clerk(self, users, make_user):
        c = make_user("clerk-jakpus", "clerk", "3171")
        assert may(c, Action.ENTER_RESULT, JAKPUS_TPS)
        assert not may(c, Action.ENTER_RESULT, JAKTIM_TPS)

    def test_trainer(self, users):
        t = users["trainer"]
        assert may(t, Action.MANAGE_TRAINING, "317508")
        assert not may(t, Action.MANAGE_TRAINING, "3171")
        assert not may(t, Action.VIEW_RESULTS, JAKTIM_TPS)
        assert not may(t, Action.VIEW_PERSONAL_DATA, "317508")

    def test_legal_and_observer(self, users):
        assert may(users["legal"], Action.EXPORT_EVIDENCE, JAKPUS_TPS)
        assert not may(users["legal"], Action.ENTER_RESULT, JAKPUS_TPS)
        o = users["observer"]
        assert may(o, Action.VIEW_RESULTS, JAKPUS_TPS)
        for action in (Action.SUBMIT_RESULT, Action.ENTER_RESULT, Action.MANAGE_VOLUNTEERS,
                       Action.VIEW_PERSONAL_DATA, Action.EXPORT_EVIDENCE, Action.MANAGE_TRAINING):
            assert not may(o, action, JAKPUS_TPS)

    def test_koordinator_without_region_may_nothing(self, make_user, jakarta):
        k = make_user("lost", "koordinator")
        assert not may(k, Action.VIEW_REGION, "31")

    def test_inactive_and_anonymous(self, users):
        from django.contrib.auth.models import AnonymousUser

        admin = users["admin"]
        admin.is_active = False
        assert not may(admin, Action.VIEW_REGION, "31")
        assert not may(AnonymousUser(), Action.VIEW_REGION, "31")

    def test_require_raises_with_indonesian_reason(self, users):
        with pytest.raises(PermissionDenied, match="tidak berwenang"):
            require(users["observer"], Action.ENTER_RESULT, JAKPUS_TPS)

    def test_scope_q_filters_querysets(self, users):
        qs = Region.objects.filter(level=3)
        assert qs.filter(scope_q(users["koordinator"], Action.VIEW_REGION)).count() == 10  # Jakarta Timur
        assert qs.filter(scope_q(users["admin"], Action.VIEW_REGION)).count() == 44
        assert qs.filter(scope_q(users["trainer"], Action.VIEW_RESULTS)).count() == 0
