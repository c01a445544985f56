"""Bimtek fixtures: ormas, volunteers (optionally with a login), a session in Kec. Makasar (317508)."""

import datetime

import pytest

from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The shared ``users`` fixture hashes nine passwords; a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def orgs(db):
    from kawaltps.people.models import Organisation

    return [Organisation.objects.create(name=n) for n in ("Relawan Kawal Jakarta", "Forum Warga Jujur")]


@pytest.fixture
def make_volunteer(jakarta, make_user):
    from kawaltps.volunteers.models import Volunteer

    counter = {"n": 0}

    def make(name: str = "", kelurahan: str = "3175081001", login: bool = False, org=None, **extra) -> Volunteer:
        counter["n"] += 1
        n = counter["n"]
        user = make_user(f"relawan{n}", "saksi", tps_code="") if login else None
        return Volunteer.objects.create(
            name=name or f"Relawan Uji {n}", nik=f"317508{n:010d}", phone=f"62812{n:08d}", kelurahan_id=kelurahan,
            organisation=org, user=user, **extra)

    return make


@pytest.fixture
def make_session(users, orgs):
    from kawaltps.regions.models import Region
    from kawaltps.training import services

    def make(region: str = "317508", capacity: int = 30, pass_score: int = 70, trainer=None, **extra):
        fields = dict(title=extra.pop("title", "Bimtek Makasar"), date=extra.pop("date", datetime.date.today()),
                      start_time=datetime.time(9), end_time=datetime.time(12), place="Aula Kecamatan",
                      region=Region.objects.get(code=region), trainer=trainer or users["trainer"],
                      organisation=extra.pop("organisation", orgs[0]), capacity=capacity, pass_score=pass_score,
                      **extra)
        return services.create_session(users["admin"], **fields)

    return make


@pytest.fixture
def session(make_session):
    return make_session()


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def answer_all(attempt, right: int) -> dict[str, int]:
    """Form answers (display positions, by the attempt's stored choice order) for ``attempt``: the
    first ``right`` questions answered correctly, the rest wrongly."""
    from kawaltps.training.models import Question

    attempt.refresh_from_db()
    correct = dict(Question.objects.filter(id__in=attempt.question_ids).values_list("id", "correct"))
    out = {}
    for i, qid in enumerate(attempt.question_ids):
        order = attempt.choice_orders[str(qid)]
        position = order.index(correct[qid])
        out[str(qid)] = position if i < right else (position + 1) % len(order)
    return out
