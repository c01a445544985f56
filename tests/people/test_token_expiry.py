"""API tokens expire (issue 8 item 17): default 30 days (KAWALTPS_API_TOKEN_DAYS), refused after with a clear 401."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kawaltps.people.models import ApiToken
from tests.conftest import PASSWORD


def _me(key: str):
    return Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.mark.django_db
def test_issued_token_lives_30_days_by_default(users):
    r = Client().post("/api/auth/token", {"username": "saksi", "password": PASSWORD},
                      content_type="application/json")
    assert r.status_code == 200
    token = ApiToken.objects.get()
    left = token.expires_at - timezone.now()
    assert datetime.timedelta(days=29, hours=23) < left <= datetime.timedelta(days=30)
    assert r.json()["expires_at"] == token.expires_at.isoformat(timespec="seconds")
    assert _me(r.json()["token"]).status_code == 200


@pytest.mark.django_db
def test_expired_token_refused_with_clear_message(users):
    token, key = ApiToken.issue(users["saksi"], "hp")
    assert _me(key).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    r = _me(key)
    assert r.status_code == 401 and "kedaluwarsa" in r.json()["detail"]
    assert ApiToken.authenticate(key) is None


@pytest.mark.django_db
def test_token_from_before_expiry_counts_from_creation(users):
    """Tokens issued before ``expires_at`` existed have none: they expire 30 days after creation."""
    token, key = ApiToken.issue(users["saksi"])
    ApiToken.objects.filter(pk=token.pk).update(expires_at=None,
                                                created_at=timezone.now() - datetime.timedelta(days=31))
    assert _me(key).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert _me(key).status_code == 200


@pytest.mark.django_db
def test_lifetime_configurable(users, settings):
    settings.API_TOKEN_DAYS = 7
    token, _key = ApiToken.issue(users["saksi"])
    assert (token.expires_at - timezone.now()).days == 6
    out = StringIO()
    call_command("create_token", "saksi", "--days", "2", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["expires_at"][:10] == (timezone.now() + datetime.timedelta(days=2)).isoformat()[:10]


@pytest.mark.django_db
def test_unknown_token_still_plain_401(users):
    r = _me("ktps_palsu")
    assert r.status_code == 401 and "kedaluwarsa" not in r.content.decode()
