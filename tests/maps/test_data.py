"""``/peta/data.json`` per layer on hand-built data, the scope of the user asking, and the page."""

import uuid

import pytest
from django.utils import timezone

from kawaltps.deployment.services import settings_for
from kawaltps.fieldday.models import CheckIn
from kawaltps.recap.models import Discrepancy
from kawaltps.regions.models import TPS
from kawaltps.results import services
from kawaltps.volunteers.models import Volunteer
from kawaltps.volunteers.readiness import SAKSI_PER_TPS
from tests.results.helpers import good_form
from tests.volunteers.conftest import nik

KEL_IN, KEL_IN2, KEL_OUT = "3175081001", "3175081002", "3171011001"


@pytest.fixture
def world(small_election, users, make_user, shaped):
    e = small_election
    votes, numbers = good_form()
    services.submit(users["saksi"], e, "3175081001001", "saksi", votes, numbers, client_id="peta-1")
    for code, rank, moved, step in (("3175081001001", 120, 5, "tps_sirekap"), ("3175081002", 7, 9, "dhasil_kelurahan"),
                                    ("317508", 900, 900, "tps_kecamatan"),  # a kecamatan finding: no kelurahan
                                    ("3171011001001", 2000, 40, "tps_sirekap")):
        Discrepancy.objects.create(election=e, key=f"{step}:{code}", step=step, code=code, is_tps=len(code) == 13,
                                   deltas={"1": moved}, votes_moved=moved, impact_line=rank, impact_rank=rank)
    for i in range(2 * SAKSI_PER_TPS):  # KEL_IN: every saksi slot of its 2 TPS
        Volunteer.objects.create(name=f"R{i}", nik=nik(KEL_IN, 1 + i, i + 1), phone=f"62812000{i:05d}",
                                 kelurahan_id=KEL_IN, status="certified")
    Volunteer.objects.create(name="T", nik=nik(KEL_IN2, 9, 9), phone="6281200000099", kelurahan_id=KEL_IN2,
                             status="trained")
    conf = settings_for(e)
    conf.saksi_per_tps = 1
    conf.save()
    tps = {t.code: t for t in TPS.objects.filter(election=e)}
    for code in ("3175081001001", "3175081001002", "3171011001001"):
        CheckIn.objects.create(election=e, tps=tps[code], tps_code=code, user=make_user(f"s{code}", "saksi"),
                               client_id=uuid.uuid4(), at=timezone.now())
    tps["3175081001001"].latitude, tps["3175081001001"].longitude = -6.265, 106.875
    tps["3175081001001"].save()
    return e


def get(client, user, **query):
    client.force_login(user)
    return client.get("/peta/data.json", {"pemilihan": "uji", **query})


def rows(response) -> dict:
    assert response.status_code == 200, response.content
    return {r["code"]: r for r in response.json()["rows"]}


def test_chasil_layer(client, users, world):
    data = get(client, users["admin"], layer="chasil").json()
    r = {x["code"]: x for x in data["rows"]}
    assert len(r) == 267  # every kelurahan of the election's area
    assert (r[KEL_IN]["value"], r[KEL_IN]["label"], r[KEL_IN]["cls"]) == (0.5, "50%", 2)
    assert r[KEL_IN]["detail"] == "1 dari 2 TPS ada angka C.Hasil"
    assert (r[KEL_IN2]["value"], r[KEL_IN2]["label"], r[KEL_IN2]["cls"]) == (0, "0%", 0)
    assert (r[KEL_OUT]["value"], r[KEL_OUT]["cls"], r[KEL_OUT]["shape"]) == (0, 0, True)
    assert r["3175081003"]["value"] is None and r["3175081003"]["label"] == "–" and not r["3175081003"]["shape"]
    assert [x["code"] for x in data["rows"][:3]] == [KEL_OUT, KEL_IN2, KEL_IN]  # least covered first, then no TPS
    assert data["classes"][-1]["label"] == "tanpa data" and len(data["classes"]) == 6
    assert data["tps"] == [{"code": "3175081001001", "lat": -6.265, "lon": 106.875, "label": "ada angka C.Hasil",
                            "cls": 4}]


def test_selisih_layer(client, users, world):
    r = rows(get(client, users["admin"], layer="selisih"))
    assert (r[KEL_IN]["value"], r[KEL_IN]["label"], r[KEL_IN]["cls"]) == (120, "120", 3)
    assert r[KEL_IN]["detail"] == "1 temuan, 5 suara berpindah"
    assert (r[KEL_IN2]["value"], r[KEL_IN2]["cls"]) == (7, 1)
    assert (r[KEL_OUT]["value"], r[KEL_OUT]["label"], r[KEL_OUT]["cls"]) == (2000, "2.000", 4)
    assert (r["3175081003"]["value"], r["3175081003"]["detail"]) == (0, "tanpa temuan")


def test_kesiapan_layer(client, users, world):
    r = rows(get(client, users["admin"], layer="kesiapan"))
    assert (r[KEL_IN]["value"], r[KEL_IN]["label"], r[KEL_IN]["cls"]) == (1.0, "100%", 4)
    assert (r[KEL_IN2]["value"], r[KEL_IN2]["cls"]) == (0.0, 0)
    assert r[KEL_IN2]["detail"] == f"0 tersertifikasi dari target {2 * SAKSI_PER_TPS}; 1 terlatih"
    assert r["3175081003"]["value"] is None


def test_hadir_layer(client, users, world):
    data = get(client, users["admin"], layer="hadir").json()
    r = {x["code"]: x for x in data["rows"]}
    assert (r[KEL_IN]["value"], r[KEL_IN]["label"], r[KEL_IN]["cls"]) == (1.0, "100%", 4)
    assert (r[KEL_OUT]["value"], r[KEL_OUT]["label"], r[KEL_OUT]["cls"]) == (0.5, "50%", 2)
    assert (r[KEL_IN2]["value"], r[KEL_IN2]["cls"]) == (0, 0)
    assert data["tps"][0]["label"] == "saksi hadir"


def test_koordinator_sees_only_their_scope(client, users, world):
    data = get(client, users["koordinator_kec"], layer="selisih").json()
    assert data["region"] == "317508"
    assert {r["code"][:6] for r in data["rows"]} == {"317508"}
    assert rows(get(client, users["koordinator"], layer="chasil"))[KEL_IN]["value"] == 0.5
    assert all(c.startswith("3175") for c in rows(get(client, users["koordinator"], layer="hadir")))
    # a kelurahan inside the scope: one row, and its TPS
    one = get(client, users["koordinator_kec"], layer="chasil", wilayah=KEL_IN).json()
    assert [r["code"] for r in one["rows"]] == [KEL_IN] and len(one["tps"]) == 1


def test_shapes(client, users, world):
    client.force_login(users["koordinator"])
    doc = client.get("/peta/batas.json", {"pemilihan": "uji"}).json()
    assert doc["type"] == "FeatureCollection"
    assert sorted(f["id"] for f in doc["features"]) == [KEL_IN, KEL_IN2]  # Gambir is outside Jakarta Timur
    f = doc["features"][0]
    assert f["properties"]["name"] == "Makasar" and f["geometry"]["type"] == "Polygon"
    client.force_login(users["observer"])
    assert len(client.get("/peta/batas.json").json()["features"]) == 3


def test_page_renders_table_legend_and_tiles(client, users, world):
    client.force_login(users["koordinator"])
    html = client.get("/peta/", {"pemilihan": "uji", "layer": "selisih"}).content.decode()
    assert 'id="peta"' in html and 'id="peta-legend"' in html and "101–1.000" in html
    assert 'data-code="3175081003"' in html  # Kebon Pala has no boundary: a tile and a table row
    assert html.index(f'<tr data-code="{KEL_IN}"') < html.index(f'<tr data-code="{KEL_IN2}"')  # largest impact first
    assert "leaflet/leaflet.js" in html and "maps/maps.js" in html
    assert KEL_OUT not in html
