"""The demo step on a small set of volunteers made by the volunteers demo's generator."""

from types import SimpleNamespace

import numpy as np
import pytest
from django.db.models import Count, F

from kawaltps.people.demo import ORGANISATIONS
from kawaltps.people.models import Organisation
from kawaltps.training import demo
from kawaltps.training.models import Certificate, Enrolment, Session, TestAttempt
from kawaltps.volunteers import demo as volunteers_demo
from kawaltps.volunteers.models import Volunteer


@pytest.fixture
def volunteers(jakarta):
    orgs = [Organisation.objects.create(name=n).pk for n in ORGANISATIONS]
    kel = ["3175081001", "3175081002", "3171011001", "3172011001"]
    people = volunteers_demo.generate(kel, np.array([1, 1, 1, 1]), 800, seed=7)
    Volunteer.objects.bulk_create([Volunteer(**p, organisation_id=orgs[i % 4]) for i, p in enumerate(people)])


def test_no_volunteers_creates_nothing(jakarta):
    lines = demo.populate(SimpleNamespace(election=None))
    assert "belum ada relawan" in lines[0]
    assert Session.objects.count() == 0


def test_populate(volunteers):
    lines = demo.populate(SimpleNamespace(election=None))
    assert Session.objects.values("region").distinct().count() == 44
    assert Session.objects.count() == 44 * 4 * demo.SESSIONS_PER_ORMAS
    assert not Session.objects.exclude(region__code__regex=r"^31\d{4}$").exists()
    # every session's trainer works in that session's kota
    for trainer_region, region in Session.objects.values_list("trainer__region", "region").distinct():
        assert region.startswith(trainer_region)
    assert not Session.objects.annotate(n=Count("enrolments")).filter(n__gt=F("capacity")).exists()
    enrolled = Enrolment.objects.count()
    assert 0.65 * 800 < enrolled < 0.85 * 800
    attended = Enrolment.objects.filter(attended_at__isnull=False).count()
    assert 0.7 < attended / enrolled < 0.9
    pre = TestAttempt.objects.filter(kind="pre").values_list("score", flat=True)
    post = TestAttempt.objects.filter(kind="post").values_list("score", flat=True)
    assert 40 < np.mean(pre) < 60 and 65 < np.mean(post) < 85
    assert not TestAttempt.objects.filter(kind="post", enrolment__attended_at__isnull=True).exists()
    # certificates: exactly the attended with a passing post-test, and those volunteers are certified
    certs = Certificate.objects.values_list("enrolment", flat=True)
    passed = TestAttempt.objects.filter(kind="post", passed=True).values_list("enrolment", flat=True)
    assert set(certs) == set(passed) and len(certs) > 0
    assert not Volunteer.objects.filter(enrolments__certificate__isnull=False).exclude(status="certified").exists()
    trained = Volunteer.objects.filter(enrolments__attended_at__isnull=False, enrolments__certificate__isnull=True)
    assert not trained.exclude(status__in=["trained", "certified"]).exists()
    assert Certificate.objects.values("verification_code").distinct().count() == len(certs)
    assert "sertifikat" in lines[0]
    # a second run changes nothing
    assert "sudah ada" in demo.populate(SimpleNamespace(election=None))[0]
    assert Enrolment.objects.count() == enrolled
