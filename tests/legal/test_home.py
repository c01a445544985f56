"""The legal team's home page counts: reports due within 3 days, escalated incidents with no report."""

import pytest

from kawaltps.fieldday.models import Incident
from kawaltps.legal import bawaslu
from kawaltps.legal.home import counts

from .conftest import today

pytestmark = pytest.mark.django_db


def _numbers(user, election) -> dict[str, int]:
    return {c.text: c.n for c in counts(user, election)}


def test_escalated_incident_waits_until_a_report_covers_it(users, loaded, incident):
    Incident.objects.filter(pk=incident.pk).update(state=Incident.State.ESCALATED)
    before = _numbers(users["legal"], loaded)
    assert list(before.values()) == [0, 1]
    bawaslu.create_report(users["legal"], loaded, incident_ids=[incident.pk], reporter_name="Budi Santoso",
                          known_on=today())
    assert list(_numbers(users["legal"], loaded).values()) == [0, 0]  # covered; due in 7 days, not near


def test_only_reports_due_within_three_days_are_urgent(users, loaded, incident):
    import datetime

    bawaslu.create_report(users["legal"], loaded, incident_ids=[incident.pk], reporter_name="A",
                          known_on=today() - datetime.timedelta(days=5))  # due in 2 days
    bawaslu.create_report(users["legal"], loaded, incident_ids=[incident.pk], reporter_name="B",
                          known_on=today())  # due in 7 days
    assert list(_numbers(users["legal"], loaded).values())[0] == 1


def test_roles_without_the_legal_view_see_nothing(users, loaded, incident):
    Incident.objects.filter(pk=incident.pk).update(state=Incident.State.ESCALATED)
    for role in ("clerk", "observer", "trainer", "saksi"):
        assert counts(users[role], loaded) == [], role
    koordinator = users["koordinator_kec"]  # Makasar: the incident's TPS lies inside it
    assert list(_numbers(koordinator, loaded).values()) == [0, 1]
