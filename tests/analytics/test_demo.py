"""The demo step draws the quick-count sample once (deterministic seed) and a second run leaves it."""

from types import SimpleNamespace

import pytest

from kawaltps.analytics import demo
from kawaltps.analytics.models import QuickCountDraw, SampledTps
from kawaltps.analytics.sampling import priority_tps


@pytest.mark.django_db
def test_demo_draw(election):
    first = demo.populate(SimpleNamespace(election=election))
    draw = QuickCountDraw.objects.get()
    assert (draw.seed, draw.sample_size, draw.population) == (demo.SEED, demo.SAMPLE_SIZE, 14_835)
    assert "600 TPS" in first[0]
    strata = draw.design["strata"]  # Jakarta: six kab/kota, every kelurahan urban (codes 1xxx)
    assert sorted(strata) == ["3101-K", "3171-K", "3172-K", "3173-K", "3174-K", "3175-K"]
    assert sum(n for _, n in strata.values()) == 600 and sum(N for N, _ in strata.values()) == 14_835
    codes = sorted(SampledTps.objects.values_list("code", flat=True))
    assert demo.populate(SimpleNamespace(election=election))[0].endswith("(dilewati).")
    assert QuickCountDraw.objects.count() == 1
    assert sorted(priority_tps(election).values_list("code", flat=True)) == codes
