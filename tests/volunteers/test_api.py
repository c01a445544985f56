"""/api/volunteers/: readiness and the registry, with scope and denials."""

from kawaltps.volunteers.models import Volunteer

from .conftest import nik


def test_readiness_api(client, users, small_election):
    Volunteer.objects.create(name="A", nik=nik("3175081001", 5, 1), phone="6281234567001",
                             kelurahan_id="3175081001", status="certified")
    client.force_login(users["koordinator_kec"])
    data = client.get("/api/volunteers/readiness?election=uji&level=kelurahan").json()
    rows = {r["code"]: r for r in data["rows"]}
    assert set(rows) == {"3175081001", "3175081002", "3175081003", "3175081004", "3175081005"}
    assert rows["3175081001"]["certified"] == 1 and rows["3175081001"]["gap"] == 3
    assert client.get("/api/volunteers/readiness?election=uji&region=3171").status_code == 403
    client.force_login(users["clerk"])
    assert client.get("/api/volunteers/readiness?election=uji").status_code == 403


def test_registry_api_scope_and_masking(client, users):
    Volunteer.objects.create(name="A", nik=nik("3175081002", 5, 1), phone="6281234567001",
                             kelurahan_id="3175081002")
    Volunteer.objects.create(name="B", nik=nik("3171011001", 6, 2), phone="6281234567002",
                             kelurahan_id="3171011001")
    client.force_login(users["koordinator_kec"])
    data = client.get("/api/volunteers/").json()
    assert [(v["name"], v["masked"], v["phone"]) for v in data] == [("A", False, "081234567001")]
    client.force_login(users["observer"])
    assert client.get("/api/volunteers/").status_code == 403
