"""The demo's official numbers: the engine finds exactly the altered TPS and the one altered kecamatan."""

from types import SimpleNamespace

from kawaltps.recap import demo
from kawaltps.recap.discrepancies import recompute
from kawaltps.recap.models import DHasil, Discrepancy, SirekapSnapshot
from kawaltps.results.models import TpsResult


def test_demo_engine_finds_exactly_the_altered(election):
    ctx = SimpleNamespace(election=election, stdout=None)
    lines = demo.populate(ctx)
    assert "selisih ditemukan" in lines[0]
    want = demo.expected(election)
    assert len(want["tps_sirekap"]) == demo.ALTERED_COUNT
    assert len(want["sirekap_changed"]) == demo.CHANGED_LATER + demo.CORRECTED
    assert len(want["sirekap_changed"] - want["tps_sirekap"]) == demo.CORRECTED  # corrected: no finding left
    assert len(want["dhasil_kelurahan"]) == 2
    found = {}
    for d in Discrepancy.objects.filter(election=election):
        found.setdefault(d.step, set()).add(d.code)
    assert found.get("tps_sirekap", set()) == want["tps_sirekap"]
    assert found.get("sirekap_changed", set()) == want["sirekap_changed"]
    verdicts = {d.code: d.detail["verdict"] for d in Discrepancy.objects.filter(step="sirekap_changed")}
    assert sorted(verdicts.values()) == ["away"] * demo.CHANGED_LATER + ["towards"] * demo.CORRECTED
    assert found.get("dhasil_kelurahan", set()) == want["dhasil_kelurahan"]  # the kecamatan's total is right
    rows = {d.code: d.deltas for d in Discrepancy.objects.filter(step="dhasil_kelurahan")}
    a, b = sorted(rows)
    assert rows[a] == {"1": demo.ROW_MOVED, "2": 0, "3": -demo.ROW_MOVED} and rows[b]["1"] == -demo.ROW_MOVED
    assert a[:6] not in found.get("tps_kecamatan", set())
    assert found.get("tps_kecamatan", set()) == want["tps_kecamatan"]
    assert demo.ALTERED_KECAMATAN in want["tps_kecamatan"] and len(want["crosses_line"]) == 1
    assert "kecamatan_kabkota" not in found and "kabkota_provinsi" not in found
    kec = Discrepancy.objects.get(step="tps_kecamatan", code=demo.ALTERED_KECAMATAN)
    assert kec.deltas == {"1": demo.KECAMATAN_MOVED, "2": 0, "3": -demo.KECAMATAN_MOVED}
    assert kec.votes_moved == demo.KECAMATAN_MOVED and kec.gained == 1
    for d in Discrepancy.objects.filter(step="tps_sirekap"):
        assert sum(d.deltas.values()) == 0 and d.votes_moved > 0  # votes moved, total unchanged
    # every TPS has an official result and a snapshot in the real Pilkada shape
    n = election.tps_set.count()
    assert TpsResult.objects.filter(election=election, source="official").count() == n
    snap = SirekapSnapshot.objects.filter(election=election).first()
    assert set(snap.raw["tungsura"]["chart"]) == {"1000023", "1000024", "1000025"}
    assert DHasil.objects.filter(election=election, tier="kecamatan").count() == 44
    assert DHasil.objects.get(election=election, code=demo.ALTERED_KECAMATAN).photos.count() == 1
    # running it again changes nothing
    demo.populate(ctx)
    assert SirekapSnapshot.objects.filter(election=election).count() == n + demo.CHANGED_LATER + demo.CORRECTED
    objs, _ = recompute(election)
    saksi = len(found.get("tps_kecamatan_saksi", ()))
    assert len(objs) == demo.ALTERED_COUNT + demo.CHANGED_LATER + demo.CORRECTED + 2 + 2 + saksi


def test_demo_official_result_is_kpus_published_result(election):
    """The D.Hasil provinsi equals KPU's Jakarta 2024 result to the vote (issue: every number true)."""
    demo.populate(SimpleNamespace(election=election, stdout=None))
    prov = DHasil.objects.get(election=election, tier="provinsi", code="31")
    want = demo.PUBLISHED_RESULT
    assert prov.votes == {"1": 1_718_160, "2": 459_230, "3": 2_183_239} == want["votes"]
    assert (prov.valid, prov.invalid) == (4_360_629, 363_764)
    assert election.tps_set.count() == 14_835
    assert sum(election.tps_set.values_list("dpt", flat=True)) == 8_214_007
    official = TpsResult.objects.filter(election=election, source="official")
    assert sum(official.values_list("invalid", flat=True)) == 363_764
    for r in official.values("votes", "tps__dpt", "invalid"):
        assert sum(r["votes"].values()) + r["invalid"] <= r["tps__dpt"]  # no TPS with more ballots than voters


def test_province_minus_official_tps_sum_is_the_net_of_tier_findings(election):
    """Per paslon: D.Hasil provinsi − Σ official TPS = Σ deltas of the tier-step findings."""
    demo.populate(SimpleNamespace(election=election, stdout=None))
    prov = DHasil.objects.get(election=election, tier="provinsi", code="31").votes
    tps_sum = dict.fromkeys(prov, 0)
    for votes in TpsResult.objects.filter(election=election, source="official").values_list("votes", flat=True):
        for k, v in votes.items():
            tps_sum[k] += v
    net = dict.fromkeys(prov, 0)
    for d in Discrepancy.objects.filter(election=election,
                                        step__in=["tps_kecamatan", "kecamatan_kabkota", "kabkota_provinsi"]):
        for k, v in d.deltas.items():
            net[k] += v
    assert {k: prov[k] - tps_sum[k] for k in prov} == net
    assert net == {"1": demo.KECAMATAN_MOVED - demo.LINE_MOVED, "2": 0, "3": demo.LINE_MOVED - demo.KECAMATAN_MOVED}


def test_the_recap_demo_step_shows_each_finding(election):
    """The demo step alone: an altered kelurahan inside a kecamatan (tier-row finding), a Sirekap
    correction towards our form and one away from it, and a finding that alone crosses the 50 % line."""
    lines = demo.populate(SimpleNamespace(election=election, stdout=None))
    found = Discrepancy.objects.filter(election=election)
    rows = list(found.filter(step="dhasil_kelurahan"))
    assert len(rows) == 2 and all(len(d.code) == 10 for d in rows)
    assert not found.filter(step="tps_kecamatan", code=rows[0].code[:6]).exists()  # its total is right
    verdicts = {d.detail["verdict"] for d in found.filter(step="sirekap_changed")}
    assert {"towards", "away"} <= verdicts
    [line_kec] = demo.expected(election)["crosses_line"]
    crossing = found.get(step="tps_kecamatan", code=line_kec)
    assert crossing.deltas == {"1": -demo.LINE_MOVED, "2": 0, "3": demo.LINE_MOVED}
    surplus = 2_183_239 - (4_360_629 // 2 + 1)
    assert surplus == 2_924 and crossing.impact_line == demo.LINE_MOVED > surplus
    assert found.filter(impact_line__gt=surplus).count() == 1  # the only finding that crosses alone
    from kawaltps.recap.margin import report

    assert report(election)["findings"]["findings_crossing_alone"] == 1
    assert "2 baris kelurahan" in lines[1] and "1 mendekati dan 3 menjauhi" in lines[1]
    assert "1 temuan melewati garis 50 % + 1" in lines[1]
