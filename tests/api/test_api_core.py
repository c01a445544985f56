"""The API base: token and session auth, and the same permission answers as the pages."""

import pytest
from django.test import Client

from kawaltps.people.models import ApiToken
from tests.conftest import PASSWORD


@pytest.fixture
def api(small_election, users):
    return Client()


def bearer(user) -> dict:
    _, key = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.django_db
def test_token_exchange_and_me(api, users):
    r = api.post("/api/auth/token", {"username": "saksi", "password": PASSWORD, "device": "hp"},
                 content_type="application/json")
    assert r.status_code == 200
    key = r.json()["token"]
    assert key.startswith("ktps_") and not ApiToken.objects.filter(digest=key).exists()  # only the hash is kept
    me = api.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert me == {"username": "saksi", "name": "", "role": "saksi", "region": None, "tps_code": "3175081001001",
                  "organisation": None}


@pytest.mark.django_db
def test_wrong_password_and_missing_or_revoked_token(api, users):
    r = api.post("/api/auth/token", {"username": "saksi", "password": "salah"}, content_type="application/json")
    assert r.status_code == 401 and "salah" in r.json()["detail"]
    assert api.get("/api/me").status_code == 401
    assert api.get("/api/me", HTTP_AUTHORIZATION="Bearer ktps_palsu").status_code == 401
    token, key = ApiToken.issue(users["saksi"])
    token.revoked = True
    token.save()
    assert api.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


@pytest.mark.django_db
def test_region_children_with_tps_counts(api, users, small_election):
    r = api.get("/api/regions/317508?election=uji", **bearer(users["koordinator"]))
    assert r.status_code == 200
    kids = {c["code"]: c for c in r.json()["children"]}
    assert kids["3175081001"]["tps"] == 2 and kids["3175081001"]["dpt"] == 1020
    assert kids["3175081002"]["tps"] == 2


@pytest.mark.django_db
def test_region_outside_scope_is_denied(api, users):
    r = api.get("/api/regions/3171", **bearer(users["koordinator"]))
    assert r.status_code == 403 and "tidak berwenang" in r.json()["detail"]
    assert api.get("/api/regions/3171", **bearer(users["observer"])).status_code == 200


@pytest.mark.django_db
def test_saksi_sees_own_tps_not_others(api, users, small_election):
    h = bearer(users["saksi"])
    assert api.get("/api/elections/uji/tps/3175081001001", **h).json()["dpt"] == 510
    assert api.get("/api/elections/uji/tps/3175081001002", **h).status_code == 403


@pytest.mark.django_db
def test_session_auth_for_browser(users, small_election):
    c = Client(enforce_csrf_checks=True)
    assert c.login(username="observer", password=PASSWORD)
    assert c.get("/api/elections").json()[0]["slug"] == "uji"


@pytest.mark.django_db
def test_openapi_schema_lists_endpoints(api):
    schema = api.get("/api/openapi.json").json()
    assert "/api/auth/token" in schema["paths"] and "/api/regions/{code}" in schema["paths"]


@pytest.mark.django_db
def test_api_docs_need_no_cdn(api):
    html = api.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in html and "cdn." not in html


@pytest.mark.django_db
def test_malformed_parameters_are_refused_in_indonesian(api, users):
    """Pydantic's English messages never reach the user: a non-integer limit, a missing field."""
    h = bearer(users["admin"])
    r = api.get("/api/volunteers/", {"limit": "abc"}, **h)
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == "limit: harus berupa bilangan bulat"
    r = api.post("/api/auth/token", {"username": "saksi"}, content_type="application/json")
    assert r.status_code == 422 and "wajib diisi" in r.json()["detail"][0]["msg"]
    assert "Field required" not in r.content.decode()
