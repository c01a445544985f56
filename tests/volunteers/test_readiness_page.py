"""The readiness page (/relawan/kesiapan/) and the partner organisations page (/relawan/ormas/)."""

from kawaltps.people.models import Role
from kawaltps.volunteers.models import Volunteer

from .conftest import nik


def add(kel, statuses, org=None):
    for status in statuses:
        seq = Volunteer.objects.count() + 1
        Volunteer.objects.create(name=f"R{seq}", nik=nik(kel, 1 + seq % 27, seq), phone=f"62812000{seq:05d}",
                                 kelurahan_id=kel, status=status, organisation=org)


def test_readiness_page_numbers_and_map(client, users, small_election):
    add("3175081001", ["certified", "certified", "certified", "certified"])
    add("3175081002", ["registered", "trained"])
    client.force_login(users["observer"])
    page = client.get("/relawan/kesiapan/?pemilihan=uji").content.decode()
    assert "<svg" in page and page.count("<rect") == 267
    assert 'data-code="3175081001" ' in page or 'data-code="3175081001"' in page
    assert "Jakarta Timur".upper() in page.upper()
    kec = client.get("/relawan/kesiapan/?pemilihan=uji&wilayah=317508").content.decode()
    # Makasar: 4 TPS, target 8, 4 certified → gap 4; kelurahan table rows present
    assert "Pinangranti" in kec and '<td class="num flag" data-label="Kurang">4</td>' in kec


def test_readiness_scope_and_denials(client, users, small_election):
    client.force_login(users["koordinator_kec"])
    assert client.get("/relawan/kesiapan/?pemilihan=uji").status_code == 200
    assert client.get("/relawan/kesiapan/?pemilihan=uji&wilayah=3171").status_code == 403
    for role in ("saksi", "clerk", "legal"):
        client.force_login(users[role])
        assert client.get("/relawan/kesiapan/").status_code == 403
        assert client.get("/relawan/ormas/").status_code == 403
    client.logout()
    assert client.get("/relawan/kesiapan/").status_code == 302


def test_partners_page(client, users, orgs, small_election, make_user):
    make_user("koord-rkj", Role.KOORDINATOR, "317508", first_name="Bu Rina", organisation=orgs["rkj"])
    add("3175081001", ["certified"] * 3, orgs["rkj"])  # 2 TPS × 2 = 4 slots: 3 filled by RKJ, 1 by PPP
    add("3175081001", ["certified"] * 2, orgs["ppp"])
    add("3175081002", ["registered", "trained"], orgs["ppp"])
    client.force_login(users["admin"])
    page = client.get("/relawan/ormas/?pemilihan=uji").content.decode()
    assert "Bu Rina" in page and "Relawan Kawal Jakarta" in page
    from kawaltps.volunteers.partners import partner_stats

    stats = {r["name"]: r for r in partner_stats("", small_election, per_tps=2)["rows"]}
    rkj, ppp = stats["Relawan Kawal Jakarta"], stats["Pemuda Peduli Pemilu"]
    assert (rkj["registered"], rkj["certified"], ppp["registered"], ppp["trained"]) == (3, 3, 4, 3)
    assert rkj["tps_covered"] == 1.2 and ppp["tps_covered"] == 0.8  # 4 slots × 3/5 ÷ 2, 4 × 2/5 ÷ 2
    assert rkj["share_tps"] == 20.0  # 1.2 of 6 TPS
