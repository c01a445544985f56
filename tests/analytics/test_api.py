"""/api/analytics/: the quick count and the forensics as JSON, with the pages' permissions."""

import pytest

from kawaltps.analytics.sampling import create_draw
from kawaltps.people.models import ApiToken
from tests.conftest import PASSWORD

from .conftest import build_election


@pytest.fixture
def qc(users):
    election = build_election()
    create_draw(election, sample_size=300, seed=5)
    return election


def bearer(user) -> dict:
    _, key = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.django_db
def test_quickcount_and_forensics_json(client, users, qc):
    headers = bearer(users["observer"])
    qc_json = client.get("/api/analytics/quickcount?pemilihan=qc", **headers).json()
    assert qc_json["draw"]["seed"] == 5 and len(qc_json["paslon"]) == 2
    assert {"estimate", "se", "low", "high", "p_above_threshold"} <= set(qc_json["paslon"][0])
    fx = client.get("/api/analytics/forensics?pemilihan=qc&wilayah=3175", **headers).json()
    assert fx["area"] == "3175" and len(fx["tests"]) == 6
    assert client.get("/api/analytics/quickcount?pemilihan=qc&sumber=x", **headers).status_code == 422
    assert client.get("/api/analytics/quickcount?pemilihan=nope", **headers).status_code == 404
    client.login(username="legal", password=PASSWORD)  # the browser's session works too
    assert client.get("/api/analytics/quickcount?pemilihan=qc").status_code == 200


@pytest.mark.django_db
def test_denials(client, users, qc):
    assert client.get("/api/analytics/quickcount?pemilihan=qc").status_code == 401
    for who in ("saksi", "trainer", "koordinator"):
        assert client.get("/api/analytics/quickcount?pemilihan=qc", **bearer(users[who])).status_code == 403, who
    koord = bearer(users["koordinator"])
    assert client.get("/api/analytics/forensics?pemilihan=qc&wilayah=3175", **koord).status_code == 200
    assert client.get("/api/analytics/forensics?pemilihan=qc&wilayah=3171", **koord).status_code == 403
