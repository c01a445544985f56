"""Deployment fixtures: the small election (6 TPS in 3 kelurahan), certified volunteers, a signer."""

import datetime
import itertools

import pytest


@pytest.fixture(autouse=True)
def fast_passwords(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.KAWALTPS_MESSAGE_SENDER = "kawaltps.deployment.senders.MemorySender"
    settings.DATA_DIR = tmp_path
    from kawaltps.deployment.senders import MemorySender

    MemorySender.outbox.clear()


_n = itertools.count(1)


@pytest.fixture
def bimtek(users):
    from kawaltps.regions.models import Region
    from kawaltps.training.models import Session

    return Session.objects.create(date=datetime.date(2024, 11, 1), start_time=datetime.time(9),
                                  end_time=datetime.time(12), place="Aula", region=Region.objects.get(code="31"),
                                  trainer=users["trainer"])


@pytest.fixture
def volunteer(bimtek):
    """``volunteer(kelurahan, voting=TPS code, certified=True, login=False)`` → a Volunteer."""
    from kawaltps.deployment.models import VolunteerProfile
    from kawaltps.people.models import User
    from kawaltps.training.models import Certificate, Enrolment
    from kawaltps.volunteers.models import Volunteer
    from tests.conftest import PASSWORD

    def make(kelurahan="3175081001", voting="", certified=True, login=False, name=""):
        n = next(_n)
        user = User.objects.create_user(f"rel{n}", password=PASSWORD, role="relawan") if login else None
        v = Volunteer.objects.create(name=name or f"Relawan Uji {n}", nik=f"3175{n:012d}", phone=f"62813{n:08d}",
                                     kelurahan_id=kelurahan, user=user, status="certified" if certified else "trained",
                                     address="Jl. Contoh 1")
        if voting:
            VolunteerProfile.objects.create(volunteer=v, voting_tps_code=voting)
        if certified:
            e = Enrolment.objects.create(session=bimtek, volunteer=v, attended_at=datetime.datetime(
                2024, 11, 1, 9, tzinfo=datetime.UTC))
            Certificate.objects.create(enrolment=e, number=f"B/{n}", verification_code=f"C{n:09d}",
                                       issued_at=e.attended_at)
        return v

    return make


@pytest.fixture
def signer(small_election):
    from kawaltps.deployment.models import DeploymentSettings

    return DeploymentSettings.objects.create(election=small_election, saksi_per_tps=1, backups_per_tps=1,
                                             signer_name="Ketua Uji", signer_title="Ketua Tim Provinsi")


def revoke_certificate(v) -> None:
    from django.utils import timezone

    from kawaltps.training.models import Certificate

    Certificate.objects.filter(enrolment__volunteer=v).update(revoked_at=timezone.now(), revoked_reason="uji")
