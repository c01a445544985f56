"""The results dashboard: numbers on a constructed case, drill-down to one TPS, JSON, denials."""

import pytest
from django.urls import reverse

from kawaltps.results import services
from kawaltps.results.tabulation import rebuild_tallies

from .helpers import good_form

PASSWORD = "sandi-uji-123"


def _enter(users, election, code, votes, clerks=("clerk", "clerk2"), numbers=None, second=None):
    v, n = good_form(votes)
    n = numbers or n
    services.submit(users[clerks[0]], election, code, "clerk_first", v, n, f"{code}-1")
    if len(clerks) > 1:
        v2 = {str(i + 1): x for i, x in enumerate(second)} if second else v
        services.submit(users[clerks[1]], election, code, "clerk_first", v2, n, f"{code}-2")


@pytest.fixture
def filled(small_election, users):
    """317508 1001: TPS 1 verified, TPS 2 entered with a paslon sum ≠ valid (flagged);
    3171 011001 TPS 1 disputed (the first entry counts); the other 3 TPS missing."""
    rebuild_tallies(small_election, "witness")
    _enter(users, small_election, "3175081001001", (120, 30, 150))
    v, n = good_form((10, 20, 30))
    services.submit(users["clerk"], small_election, "3175081001002", "clerk_first", {"1": 10, "2": 20, "3": 31}, n,
                    "tps2-1")
    _enter(users, small_election, "3171011001001", (1, 2, 3), second=(1, 2, 4))
    return small_election


def _json(client, user, **params):
    client.force_login(user)
    return client.get(reverse("results:dashboard_json"), {"pemilihan": "uji", **params})


def test_numbers_at_the_election_scope(client, filled, users):
    data = _json(client, users["admin"]).json()
    assert data["code"] == "31" and data["level"] == 1
    t = data["total"]
    assert t["votes"] == {"1": 131, "2": 52, "3": 184}
    assert t["valid"] == 300 + 60 + 6 and t["invalid"] == 30
    assert t["coverage"] == {"verified": 1, "entered": 1, "disputed": 1, "received": 0, "missing": 3, "total": 6,
                             "with_numbers": 3, "partial": {}}  # each TPS in one bucket (issue 16.3)
    assert t["flagged"] == 1
    assert t["share"]["1"] == round(100 * 131 / 367, 1)
    assert [(r["code"], r["coverage"]["entered"]) for r in data["rows"]] == [("3171", 0), ("3175", 1)]
    jt = data["rows"][1]
    assert jt["votes"] == {"1": 130, "2": 50, "3": 181} and jt["flagged"] == 1 and jt["coverage"]["verified"] == 1


def test_official_source_is_separate(client, filled, users):
    data = _json(client, users["admin"], sumber="official").json()
    assert data["source"] == "official" and data["total"]["votes"] == {}
    assert data["total"]["coverage"]["entered"] == 0


def test_drill_down_to_one_tps(client, filled, users):
    client.force_login(users["admin"])
    page = client.get(reverse("results:dashboard"), {"pemilihan": "uji"}).content.decode()
    assert "Rekap hasil" in page and reverse("results:dashboard_region", args=["3175"]) in page
    page = client.get(reverse("results:dashboard_region", args=["3175"]), {"pemilihan": "uji"}).content.decode()
    assert reverse("results:dashboard_region", args=["317508"]) in page
    page = client.get(reverse("results:dashboard_region", args=["317508"]), {"pemilihan": "uji"}).content.decode()
    assert reverse("results:dashboard_region", args=["3175081001"]) in page
    page = client.get(reverse("results:dashboard_region", args=["3175081001"]), {"pemilihan": "uji"}).content.decode()
    assert f'{reverse("results:tps", args=["3175081001001"])}?pemilihan=uji' in page
    assert "Terverifikasi" in page and "Jumlah suara semua paslon tidak sama dengan jumlah suara sah." in page
    data = _json(client, users["admin"], wilayah="3175081001").json()
    assert [t["state"] for t in data["tps"]] == ["verified", "entered"]
    assert data["tps"][1]["flags"][0]["code"] == "paslon_tidak_sama_sah"
    assert data["total"]["votes"] == {"1": 130, "2": 50, "3": 181}
    tps_page = client.get(data["tps"][0]["url"])
    assert tps_page.status_code == 200 and b"3175081001001" in tps_page.content
    national = _json(client, users["admin"], wilayah="").json()
    assert national["code"] == "" and national["total"]["votes"] == {"1": 131, "2": 52, "3": 184}


def test_koordinator_sees_only_their_area(client, filled, users):
    k = users["koordinator"]  # Jakarta Timur, 3175
    data = _json(client, k).json()
    assert data["code"] == "3175" and data["total"]["coverage"]["total"] == 4
    assert _json(client, k, wilayah="317508").status_code == 200
    assert _json(client, k, wilayah="3171").status_code == 403
    assert _json(client, k, wilayah="31").status_code == 403
    assert _json(client, k, wilayah="").status_code == 403
    assert client.get(reverse("results:dashboard_region", args=["3171"]), {"pemilihan": "uji"}).status_code == 403
    assert client.get(reverse("results:dashboard_region", args=["-"]), {"pemilihan": "uji"}).status_code == 403
    kk = users["koordinator_kec"]
    assert _json(client, kk).json()["code"] == "317508"
    assert _json(client, kk, wilayah="3175").status_code == 403


@pytest.mark.parametrize("who", ["observer", "legal"])
def test_nationwide_readers_allowed(client, filled, users, who):
    assert _json(client, users[who], wilayah="3171").status_code == 200


def test_saksi_and_trainer_denied(client, filled, users):
    for who in ("saksi", "trainer"):
        assert _json(client, users[who], wilayah="3175081001").status_code == 403
        assert _json(client, users[who], wilayah="3175").status_code == 403
        r = client.get(reverse("results:dashboard_region", args=["317508"]), {"pemilihan": "uji"})
        assert r.status_code == 403
    client.force_login(users["trainer"])
    assert client.get(reverse("results:dashboard"), {"pemilihan": "uji"}).status_code == 403
    client.force_login(users["saksi"])  # the menu link takes a saksi to their own TPS, nowhere else
    r = client.get(reverse("results:dashboard"), {"pemilihan": "uji"})
    assert r.status_code == 302 and r["Location"].startswith(reverse("results:tps", args=["3175081001001"]))


def test_anonymous_goes_to_login(client, filled):
    for url in (reverse("results:dashboard"), reverse("results:dashboard_json"),
                reverse("results:dashboard_region", args=["31"])):
        r = client.get(url, {"pemilihan": "uji"})
        assert r.status_code == 302 and "/masuk/" in r["Location"]


def test_bad_input(client, filled, users):
    client.force_login(users["admin"])
    r = client.get(reverse("results:dashboard"), {"pemilihan": "uji", "sumber": "kpu"})
    assert r.status_code == 404
    assert client.get(reverse("results:dashboard_region", args=["123"]), {"pemilihan": "uji"}).status_code == 404
    assert client.get(reverse("results:dashboard_region", args=["9999"]), {"pemilihan": "uji"}).status_code == 404
    assert client.get(reverse("results:dashboard"), {"pemilihan": "tidak-ada"}).status_code == 404


def test_menu_and_home_links(client, filled, users):
    url = reverse("results:dashboard")
    for who, shown in (("koordinator", True), ("observer", True), ("legal", True), ("admin", True),
                       ("trainer", False)):
        client.force_login(users[who])
        page = client.get("/").content.decode()
        assert (f'href="{url}"' in page) is shown, who
        assert ("Suara per paslon, cakupan TPS" in page) is (who != "trainer"), who
