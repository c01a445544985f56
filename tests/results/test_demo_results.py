"""The demo step fills C.Hasil for the demo election, with flagged mistakes, tallies that add up."""

from types import SimpleNamespace

from kawaltps.results import demo
from kawaltps.results.models import Photo, RegionTally, State, TpsResult


def test_demo_fills_results_with_mistakes(election, users):
    lines = demo.populate(SimpleNamespace(election=election))
    assert "C.Hasil demo" in lines[0]
    qs = TpsResult.objects.filter(election=election, source="witness")
    entered = qs.exclude(state=State.RECEIVED).count()
    assert 0.6 * 14_835 < entered < 0.8 * 14_835
    assert qs.filter(state=State.VERIFIED).count() > qs.filter(state=State.DISPUTED).count() > 50
    flags = {code for f in qs.filter(flagged=True).values_list("flags", flat=True) for code in f}
    assert {"paslon_tidak_sama_sah", "surat_tidak_seimbang", "lpj_tidak_seimbang", "pemilih_melebihi_daftar",
            "foto_duplikat"} <= flags
    top = RegionTally.objects.get(election=election, source="witness", code="31")
    assert top.tps_total == 14_835 and top.tps_entered == entered
    share = {k: v / top.valid for k, v in top.votes.items()}
    assert abs(share["3"] - 0.5007) < 0.02 and abs(share["1"] - 0.394) < 0.02
    assert Photo.objects.count() > 20
    assert demo.populate(SimpleNamespace(election=election)) == ["Hasil C.Hasil demo sudah ada (dilewati)."]
