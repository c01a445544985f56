"""`kawaltps create-token`: a device key that works once issued, and a clear error for an unknown user."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kawaltps.people.models import ApiToken


@pytest.mark.django_db
def test_issued_token_authenticates_only_its_user(users):
    out = StringIO()
    call_command("create_token", "saksi", "--device", "hp-saksi", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["username"] == "saksi" and data["device"] == "hp-saksi"
    assert ApiToken.authenticate(data["token"]) == users["saksi"]
    assert ApiToken.authenticate(data["token"] + "x") is None


@pytest.mark.django_db
def test_unknown_user_is_refused_and_nothing_issued(users):
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("create_token", "hantu", stdout=StringIO())
    assert ApiToken.objects.count() == 0


@pytest.mark.django_db
def test_inactive_user_token_is_refused(users):
    _, key = ApiToken.issue(users["observer"])
    users["observer"].is_active = False
    users["observer"].save()
    assert ApiToken.authenticate(key) is None
