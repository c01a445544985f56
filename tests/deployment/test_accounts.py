"""Volunteer logins without an administrator: activation codes through real HTTP."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kawaltps.deployment import services
from kawaltps.deployment.models import ActivationCode
from kawaltps.deployment.senders import MemorySender
from kawaltps.people.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "Rahasia-Saksi-2024"


def ask(client, phone):
    return client.post("/penugasan/aktivasi/", {"hp": phone})


def sent_code() -> str:
    return re.search(r"\b(\d{8})\b", MemorySender.outbox[-1][1]).group(1)


def activate(client, phone, code, password=PASSWORD):
    return client.post("/penugasan/aktivasi/kode/", {"hp": phone, "kode": code, "sandi": password,
                                                    "sandi2": password})


def test_a_self_registered_volunteer_activates_and_sees_their_page(small_election, volunteer):
    v = volunteer()
    c = Client()
    assert ask(c, "0" + v.phone[2:]).status_code == 302
    assert MemorySender.outbox[-1][0] == v.phone
    code = sent_code()
    assert ActivationCode.objects.get().digest != code  # only the HMAC is stored
    r = activate(c, v.phone, code)
    assert r.status_code == 302 and r["Location"] == "/penugasan/saya/"
    user = User.objects.get(username=v.phone)
    assert (user.role, user.volunteer.pk) == ("relawan", v.pk)
    page = c.get("/penugasan/saya/")
    assert page.status_code == 200 and "belum ditugaskan" in page.content.decode()
    assert "/penugasan/saya/" in c.get("/").content.decode()  # the home page points a relawan there
    assert activate(Client(), v.phone, code).status_code == 400  # single use


def test_unknown_number_gets_the_same_answer_and_nothing_is_sent(db):
    r = ask(Client(), "081299990000")
    assert r.status_code == 302 and MemorySender.outbox == []


def test_five_wrong_tries_kill_the_code(small_election, volunteer):
    v = volunteer()
    ask(Client(), v.phone)
    code = sent_code()
    for _ in range(5):
        assert activate(Client(), v.phone, "00000000" if code != "00000000" else "11111111").status_code == 400
    assert activate(Client(), v.phone, code).status_code == 400
    assert not User.objects.filter(username=v.phone).exists()


def test_expired_code_is_refused_and_requests_are_throttled(small_election, volunteer):
    v = volunteer()
    ask(Client(), v.phone)
    code = sent_code()
    ActivationCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert "kedaluwarsa" in activate(Client(), v.phone, code).content.decode()
    ask(Client(), v.phone)
    ask(Client(), v.phone)
    ask(Client(), v.phone)  # the fourth within an hour sends nothing
    assert len(MemorySender.outbox) == 3


def test_an_assigned_volunteer_activates_as_saksi_of_their_tps(small_election, signer, volunteer):
    v = volunteer()
    services.assign_by_hand(small_election, v, "3175081001002")
    ask(Client(), v.phone)
    c = Client()
    activate(c, v.phone, sent_code())
    user = User.objects.get(username=v.phone)
    assert (user.role, user.tps_code) == ("saksi", "3175081001002")
    html = c.get("/penugasan/saya/").content.decode()
    assert "3175081001002" in html and "google.com/maps" in html


def test_activation_never_takes_over_another_account(small_election, volunteer, make_user):
    v = volunteer()
    other = make_user(v.phone, "observer")  # an unrelated account that happens to use the number as its name
    ask(Client(), v.phone)
    activate(Client(), v.phone, sent_code())
    other.refresh_from_db()
    assert other.check_password("sandi-uji-123") and not hasattr(other, "volunteer")
    assert User.objects.get(volunteer=v).username == f"{v.phone}-{v.pk}"


def test_a_koordinator_who_volunteers_is_not_reset_by_a_code(small_election, volunteer, users):
    v = volunteer()
    v.user = users["koordinator"]
    v.save()
    ask(Client(), v.phone)
    r = activate(Client(), v.phone, sent_code())
    assert r.status_code == 400 and "dikelola admin" in r.content.decode()
    users["koordinator"].refresh_from_db()
    assert users["koordinator"].check_password("sandi-uji-123")


def test_console_sender_masks_the_number(capsys):
    from kawaltps.deployment.senders import ConsoleSender

    ConsoleSender().send("6281234567890", "Kode aktivasi: 12345678")
    err = capsys.readouterr().err
    assert "6281234567890" not in err and "12345678" in err
