"""Who may see the map, which layers, where: denials first."""

import pytest

from tests.maps.test_data import KEL_IN, KEL_OUT


@pytest.fixture
def ready(small_election, users, shaped):
    return small_election


@pytest.mark.parametrize("role", ["saksi", "clerk"])
@pytest.mark.parametrize("url", ["/peta/", "/peta/data.json", "/peta/batas.json"])
def test_roles_without_a_layer_are_refused(client, users, ready, role, url):
    client.force_login(users[role])
    response = client.get(url, {"pemilihan": "uji"})
    assert response.status_code == 403
    assert "berwenang" in response.content.decode()


@pytest.mark.parametrize("url", ["/peta/", "/peta/data.json", "/peta/batas.json"])
def test_anonymous_goes_to_login(client, ready, url):
    response = client.get(url)
    assert response.status_code == 302 and "/masuk/" in response["Location"]


@pytest.mark.parametrize("url", ["/peta/", "/peta/data.json", "/peta/batas.json"])
def test_koordinator_outside_their_region_is_refused(client, users, ready, url):
    client.force_login(users["koordinator"])
    for wilayah in ("3171", KEL_OUT, "31"):
        assert client.get(url, {"pemilihan": "uji", "wilayah": wilayah}).status_code == 403, wilayah
    assert client.get(url, {"pemilihan": "uji", "wilayah": KEL_IN}).status_code == 200


def test_trainer_gets_only_readiness(client, users, ready):
    client.force_login(users["trainer"])
    html = client.get("/peta/", {"pemilihan": "uji"}).content.decode()
    assert 'value="kesiapan"' in html and 'value="chasil"' not in html and 'value="selisih"' not in html
    for layer in ("chasil", "selisih", "hadir"):
        response = client.get("/peta/data.json", {"pemilihan": "uji", "layer": layer})
        assert response.status_code == 403, layer
    assert client.get("/peta/data.json", {"pemilihan": "uji", "layer": "kesiapan"}).status_code == 200


def test_legal_has_no_readiness(client, users, ready):
    client.force_login(users["legal"])
    html = client.get("/peta/", {"pemilihan": "uji"}).content.decode()
    assert 'value="chasil"' in html and 'value="hadir"' in html and 'value="kesiapan"' not in html
    assert client.get("/peta/data.json", {"pemilihan": "uji", "layer": "kesiapan"}).status_code == 403


def test_unknown_layer_is_a_clear_error(client, users, ready):
    client.force_login(users["admin"])
    response = client.get("/peta/data.json", {"pemilihan": "uji", "layer": "<script>"})
    assert response.status_code == 400
    assert response.json()["error"].startswith("Lapisan peta tidak dikenal: <script>.")
    html = client.get("/peta/", {"pemilihan": "uji", "layer": "tidakada"}).content.decode()
    assert "Lapisan peta tidak dikenal: tidakada" in html and 'value="chasil" selected' in html


def test_menu_entry(client, users, ready):
    for role, shown in (("koordinator", True), ("legal", True), ("trainer", True), ("saksi", False),
                        ("clerk", False)):
        client.force_login(users[role])
        html = client.get("/").content.decode()
        assert (html.count('href="/peta/"') >= 1) is shown, role
        assert html.count('<a href="/peta/"') <= 1, role  # one menu entry
