"""Issue 11 through the database: `kawaltps margin`, /rekap/margin/, /rekap/cakupan/ and their API,
with grants and denials. The `loaded` election: official = D.Hasil 31 (272, 86, 330)."""

import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from kawaltps.recap.discrepancies import recompute
from kawaltps.recap.models import Discrepancy, RegionSnapshot
from kawaltps.results.models import TpsResult

from .test_pages import client_for


@pytest.fixture
def found(loaded, users):
    recompute(loaded)
    return loaded


def test_findings_carry_their_impact(found):
    got = {(d.step, d.code): (d.impact_line, d.impact_margin) for d in Discrepancy.objects.all()}
    # leader 03 (330 of 688 valid, line 345), runner-up 01
    assert got == {
        ("tps_sirekap", "3175081001001"): (-10, -20),  # 10 moved 03 → 01: hurt the leader
        ("tps_kecamatan", "317101"): (1, 3),  # 3 removed from 01
        ("tps_kecamatan_saksi", "317101"): (1, 3),
        ("kabkota_provinsi", "31"): (2, 5),  # 5 added to 03
    }


def test_margin_json_prints_both_totals_the_line_and_the_chain(found, capsys):
    call_command("margin", "--election", "uji", "--json")
    out = json.loads(capsys.readouterr().out)
    o = out["official"]
    assert o["source"] == "dhasil" and o["votes"] == {"1": 272, "2": 86, "3": 330}
    assert (o["valid"], o["line"], o["surplus"], o["margin"], o["leader"], o["runner_up"]) == (688, 345, -15, 58, 3, 1)
    assert out["ours"]["votes"] == {"1": 255, "2": 72, "3": 325} and out["ours"]["tps"] == 5
    f = out["findings"]
    assert f["n"] == 4 and f["chain_impact_line"] == -7 and f["chain_impact_margin"] == -12
    assert f["surplus_after"] == -8 and f["margin_after"] == 70
    assert not f["crosses_line"] and not f["crosses_margin"]
    assert [r["code"] for r in out["by_kecamatan"]] == ["317508", "317101"]


def test_margin_text_and_a_bad_election(found, capsys):
    call_command("margin", "--election", "uji")
    text = capsys.readouterr().out
    assert "garis 50% + 1 = 345" in text and "sah 688" in text
    with pytest.raises(SystemExit):
        call_command("margin", "--election", "tidak-ada", "--json")
    assert "tidak ada" in json.loads(capsys.readouterr().out)["error"]


def test_a_finding_that_crosses_the_line(found, capsys):
    from kawaltps.recap.dhasil import save_dhasil

    # the provincial recap adds 35 votes to 03: officially 360 of 718 valid = exactly the line (360)
    save_dhasil(found, "provinsi", "31", {"1": 272, "2": 86, "3": 360})
    call_command("margin", "--election", "uji", "--recompute", "--json")
    out = json.loads(capsys.readouterr().out)
    assert (out["official"]["line"], out["official"]["surplus"]) == (360, 0)
    f = out["findings"]
    assert f["chain_impact_line"] == -10 + 1 + 17  # tps_sirekap, tps_kecamatan, kabkota_provinsi
    assert f["surplus_after"] == -8 and f["crosses_line"] is True
    assert Discrepancy.objects.get(step="kabkota_provinsi").impact_line == 17


def test_margin_page_grants_and_denials(found, users):
    r = client_for(users["legal"]).get("/rekap/margin/?pemilihan=uji")
    assert r.status_code == 200
    body = r.content.decode()
    assert "Garis 50 % + 1" in body and 'id="ours"' in body and "345" in body
    assert client_for(users["saksi"]).get("/rekap/margin/?pemilihan=uji").status_code == 403
    k = client_for(users["koordinator"])  # Jakarta Timur: findings of 3175 only, not our totals
    r = k.get("/rekap/margin/?pemilihan=uji")
    assert r.status_code == 200 and r.context["prefix"] == "3175" and 'id="ours"' not in r.content.decode()
    assert [x["code"] for x in r.context["r"]["by_kecamatan"]] == ["317508"]
    assert k.get("/rekap/margin/?pemilihan=uji&wilayah=3171").status_code == 403
    api = client_for(users["observer"]).get("/api/recap/margin?election=uji").json()
    assert api["official"]["line"] == 345 and "ours" in api
    assert "ours" not in k.get("/api/recap/margin?election=uji").json()
    assert client_for(users["saksi"]).get("/api/recap/margin?election=uji").status_code == 403


def test_coverage_counts_what_is_missing_per_kecamatan(found, users):
    TpsResult.objects.filter(source="official", code="3175081001002").delete()  # ours only
    TpsResult.objects.filter(source="witness", code="3171011001002").delete()  # Sirekap only
    now = timezone.now()
    RegionSnapshot.objects.create(  # KPU lists TPS 003 of kelurahan 3175081001; our register has 001, 002
        election=found, code="3175081001", fetched_at=now, last_seen_at=now, raw={}, sha256="a" * 64,
        table={"3175081001001": {}, "3175081001002": {}, "3175081001003": {}},
    )  # fmt: skip
    r = client_for(users["legal"]).get("/rekap/cakupan/?pemilihan=uji")
    assert r.status_code == 200
    rows = {x["region"]: x for x in r.context["rows"]}
    assert (rows["317508"]["ours_only"], rows["317508"]["not_in_register"], rows["317508"]["official_only"]) == (
        1,
        1,
        0,
    )
    assert rows["317101"]["official_only"] == 1
    assert r.context["totals"]["not_in_register"] == 1
    assert "tidak ada di daftar TPS kami" in r.content.decode()
    api = client_for(users["koordinator"]).get("/api/recap/coverage?election=uji").json()
    assert [x["region"] for x in api["regions"]] == ["317508"]
    assert client_for(users["saksi"]).get("/rekap/cakupan/?pemilihan=uji").status_code == 403
    assert client_for(users["koordinator"]).get("/api/recap/coverage?election=uji&region=3171").status_code == 403
    # a register mismatch is never a "votes added" finding
    recompute(found)
    assert not Discrepancy.objects.filter(code="3175081001003").exists()
