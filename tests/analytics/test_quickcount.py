"""The quick-count arithmetic, the sample size, the draw, and the call (no database except the draw)."""

import numpy as np
import polars as pl
import pytest

from kawaltps.analytics import quickcount, sampling
from kawaltps.analytics.units import AnalyticsError


def test_one_stratum_ratio_and_taylor_se_by_hand():
    y = np.array([[60, 40], [30, 70], [50, 50], [80, 20]], dtype=float)
    est = quickcount.estimate(y, np.zeros(4, dtype=np.int64), np.array([100.0]))
    R = 220 / 400
    d = y[:, 0] - R * y.sum(axis=1)
    var = 100 ** 2 * (1 - 4 / 100) * d.var(ddof=1) / 4 / (100 * 100) ** 2  # X̂ = N·x̄ = 100·100
    assert est["shares"][0] == pytest.approx(R)
    assert est["se"][0] == pytest.approx(np.sqrt(var))
    assert est["shares"].sum() == pytest.approx(1.0)
    assert est["low"][0] == pytest.approx(R - 1.959964 * np.sqrt(var), rel=1e-5)


def test_whole_population_has_no_sampling_error():
    y = np.array([[60, 40], [30, 70], [50, 50]], dtype=float)
    est = quickcount.estimate(y, np.array([0, 0, 1]), np.array([2.0, 1.0]))
    assert est["se"] == pytest.approx([0, 0])


def test_strata_weights_and_missing_strata():
    # stratum 0: 10 TPS, all 60/40; stratum 1: 30 TPS, all 20/80; stratum 2 (10 TPS) not arrived
    y = np.array([[60, 40], [60, 40], [20, 80], [20, 80]], dtype=float)
    est = quickcount.estimate(y, np.array([0, 0, 1, 1]), np.array([10.0, 30.0, 10.0]))
    assert est["shares"][0] == pytest.approx((10 * 60 + 30 * 20) / (10 * 100 + 30 * 100))
    assert est["covered_population"] == pytest.approx(40 / 50)
    call = quickcount.call(est, ["1", "2"], threshold=0.5, sample_size=6)
    assert call["status"] == "not_yet"


def test_single_arrival_borrows_pooled_variance():
    y = np.array([[60, 40], [40, 60], [70, 30], [55, 45]], dtype=float)
    est = quickcount.estimate(y, np.array([0, 0, 0, 1]), np.array([50.0, 50.0]))
    assert np.isfinite(est["se"]).all() and (est["se"] > 0).all()


def test_call_rules():
    base = {"arrived": 100, "covered_population": 1.0}

    def est(shares, half):
        s = np.array(shares)
        return {**base, "shares": s, "low": s - half, "high": s + half}

    def status(shares, n=100):
        return quickcount.call(est(shares, 0.01), ["1", "2"], threshold=0.5, sample_size=n)["status"]

    assert status([0.56, 0.44]) == "outright"
    assert status([0.505, 0.495]) == "too_close"
    assert status([0.56, 0.44], n=200) == "not_yet"
    runoff = quickcount.call(est([0.42, 0.35, 0.23], 0.01), ["1", "2", "3"], threshold=0.5, sample_size=100)
    assert runoff["status"] == "runoff" and runoff["runoff"] == ["1", "2"]


def test_ndi_sample_size():
    out = sampling.ndi_sample_size(0.01, 0.95, 200_000_000, 800_000, icc=0.28)
    assert out["voters_srs"] == pytest.approx(9603.6, rel=1e-3)
    assert 2000 < out["tps"] < 4000
    srs_only = sampling.ndi_sample_size(0.01, 0.95, 200_000_000, 800_000, icc=0.0)
    assert srs_only["tps"] < 60  # what NDI's voter count gives without the design effect
    with pytest.raises(AnalyticsError):
        sampling.ndi_sample_size(0.7, 0.95, 1000, 10)


def test_allocation_proportional_with_minimum():
    alloc = sampling.allocate(np.array([1000, 100, 10, 1]), 60)
    assert alloc.sum() == 60
    assert list(alloc[2:]) == [2, 1]
    assert alloc[0] > alloc[1] > 2
    with pytest.raises(AnalyticsError, match="terlalu kecil"):
        sampling.allocate(np.array([10] * 10), 5)


def test_draw_is_reproducible_from_its_seed():
    codes = [f"31{k:02d}01{'1' if i % 2 else '2'}001{i % 1000:03d}" for k in range(1, 5) for i in range(300)]
    frame = pl.DataFrame({"tps_id": range(len(codes)), "code": codes, "dpt": [250] * len(codes)})
    a, design = sampling.draw_sample(frame, 100, 42, "kabkota_urban")
    b, _ = sampling.draw_sample(frame.sample(fraction=1.0, shuffle=True, seed=3), 100, 42, "kabkota_urban")
    c, _ = sampling.draw_sample(frame, 100, 43, "kabkota_urban")
    assert a["code"].to_list() == b["code"].to_list()
    assert a["code"].to_list() != c["code"].to_list()
    assert a.height == 100 and sum(v[1] for v in design.values()) == 100
    assert len(design) == 8 and set(a["stratum"].str.slice(4)) == {"-K", "-D"}
    with pytest.raises(AnalyticsError, match="lebih besar dari populasi"):
        sampling.draw_sample(frame, 5000, 1, "kabkota")
