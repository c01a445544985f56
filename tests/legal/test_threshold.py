"""UU 10/2016 Pasal 158: the share by population, at every band's edges, and the comparison."""

import pytest

from kawaltps.legal import threshold as t


@pytest.mark.parametrize("population,share", [
    (0, 20), (2_000_000, 20), (2_000_001, 15), (6_000_000, 15), (6_000_001, 10), (12_000_000, 10),
    (12_000_001, 5), (50_000_000, 5)])
def test_provinsi_bands(population, share):
    assert t.permille(t.PROVINSI, population) == share


@pytest.mark.parametrize("population,share", [
    (1, 20), (250_000, 20), (250_001, 15), (500_000, 15), (500_001, 10), (1_000_000, 10), (1_000_001, 5)])
def test_kabkota_bands(population, share):
    assert t.permille(t.KABKOTA, population) == share


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        t.permille(t.PROVINSI, -1)
    with pytest.raises(ValueError):
        t.permille("kecamatan", 10)


def test_margin_at_the_threshold_is_eligible_one_more_is_not():
    assert t.threshold(t.KABKOTA, 200_000, 1000, 20).eligible  # 2 % of 1,000 = 20
    assert not t.threshold(t.KABKOTA, 200_000, 1000, 21).eligible
    # 1.5 % of 1,001 = 15.015: 15 is inside, 16 is not
    assert t.threshold(t.KABKOTA, 300_000, 1001, 15).eligible
    assert not t.threshold(t.KABKOTA, 300_000, 1001, 16).eligible


def test_jakarta_2024():
    """DKI Jakarta (about 11.35 million people: 1 %), valid 4,360,629; pair 3 led pair 1 by 465,079."""
    r = t.threshold(t.PROVINSI, 11_350_328, 4_360_629, 2_183_239 - 1_718_160)
    assert r.permille == 10 and r.votes == pytest.approx(43_606.29)
    assert not r.eligible
    assert t.level_of("31") == t.PROVINSI and t.level_of("3175") == t.KABKOTA
