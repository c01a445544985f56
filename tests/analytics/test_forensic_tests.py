"""Each forensic test on data made to be clean and on data made to be cooked (no database)."""

import numpy as np
import polars as pl
import pytest

from kawaltps.analytics.forensics import run_all
from kawaltps.analytics.forensics.digits import last_digit, second_digit, second_digit_test
from kawaltps.analytics.forensics.fingerprint import fingerprint
from kawaltps.analytics.forensics.integers import integer_percent, is_integer_percent, null_probability
from kawaltps.analytics.forensics.outliers import neighbourhood_outliers
from kawaltps.analytics.forensics.turnout import turnout_slope
from kawaltps.analytics.units import Units, from_frame


def clean_units(n=20000, seed=0, size=(800, 2500), share_sd=0.1) -> Units:
    rng = np.random.default_rng(seed)
    reg = rng.integers(*size, n)
    t = np.clip(rng.normal(0.6, 0.08, n), 0.05, 0.98)
    voters = rng.binomial(reg, t)
    valid = voters - rng.binomial(voters, 0.02)
    s = np.clip(rng.normal(0.45, share_sd, n), 0.02, 0.98)
    winner = rng.binomial(valid, s)
    kel = np.repeat(np.arange(n // 10), 10).astype(str)
    return Units(reg, voters, valid, winner, np.arange(n).astype(str),
                 {"kelurahan": kel, "region": (np.arange(n) % 5).astype(str)})


def stuffed(u: Units, share=0.2, seed=1) -> Units:
    """A share of stations where the winner's votes were set to round percentages near 100 %."""
    rng = np.random.default_rng(seed)
    n = len(u)
    bad = rng.random(n) < share
    reg = u.registered
    t = rng.integers(90, 100, n) / 100
    voters = np.where(bad, np.round(reg * t).astype(np.int64), u.voters)
    valid = np.where(bad, voters, u.valid)
    s = rng.integers(90, 100, n) / 100
    winner = np.where(bad, np.round(valid * s).astype(np.int64), u.winner)
    return Units(reg, voters, valid, winner, u.unit, u.groups)


def test_null_probability_is_exact_per_denominator():
    """p(b) from the closed form equals counting the numerators 1..b-1 one by one."""
    for b in [1, 7, 50, 100, 101, 150, 199, 200, 201, 250, 333, 999, 1000, 1234, 2500]:
        a = np.arange(1, b)
        brute = is_integer_percent(a, np.full_like(a, b)).mean() if b > 1 else 1.0
        assert null_probability(np.array([b]))[0] == pytest.approx(brute), b
    # small stations: every value is "integer" (b <= 100), about half at b = 200, one in ten at b = 1000
    assert null_probability(np.array([80, 200, 1000])) == pytest.approx([1.0, 0.5, 0.1], abs=0.005)


def test_integer_percentages_flag_stuffing_not_clean():
    u = clean_units()
    clean = integer_percent(u, 0.001)
    assert not clean["flagged"] and clean["p_value"] > 0.001
    assert abs(clean["excess"]) < 4 * np.sqrt(clean["expected"])
    cooked = integer_percent(stuffed(u), 0.001)
    assert cooked["flagged"] and cooked["p_value"] < 1e-10 and cooked["excess"] > 0


def test_integer_null_is_right_for_small_stations():
    """Stations of ~200 voters hit integer percentages half the time by chance: a naive 1-in-10 null would
    flag them; the exact per-station null does not."""
    u = clean_units(size=(150, 260), seed=3)
    out = integer_percent(u, 0.001)
    assert out["expected"] > 0.35 * len(u)
    assert not out["flagged"]


def test_fingerprint_corner():
    u = clean_units()
    assert not fingerprint(u, 0.001, fit=False)["flagged"]
    out = fingerprint(stuffed(u), 0.001)
    assert out["flagged"] and out["statistic"] > 100 * max(out["expected"], 1)
    assert out["fraud_fit"]["extreme"] > 0 or out["fraud_fit"]["incremental"] > 0


def test_turnout_slope_above_one_is_flagged():
    u = clean_units()
    clean = turnout_slope(u)
    assert not clean["flagged"] and 0 <= clean["statistic"] < 1
    cooked = turnout_slope(stuffed(u, 0.3))
    assert cooked["statistic"] > 1 and cooked["flagged"]


def test_digits():
    u = clean_units()
    assert not last_digit(u)["flagged"]
    rng = np.random.default_rng(5)
    fives = (rng.integers(2, 40, 5000) * 5).astype(np.int64)  # made-up counts ending in 0 or 5
    made = Units(fives * 4, fives * 2, fives * 2, fives, np.arange(5000).astype(str))
    out = last_digit(made)
    assert out["flagged"] and out["observed"][1] == 0
    assert list(second_digit(np.array([10, 19, 123, 4567, 98]))) == [0, 9, 2, 5, 8]
    benford = second_digit_test(u)
    assert set(benford) >= {"statistic", "p_value", "flagged", "alpha", "mean", "expected_mean"}


def test_outliers_find_the_odd_station():
    u = clean_units(n=2000, share_sd=0.03)  # neighbours vote alike
    odd = 1234
    u.winner[odd] = u.valid[odd]  # 100 % for the winner among neighbours around 45 %
    out = neighbourhood_outliers(u, ["kelurahan"])
    assert out["statistic"] >= 1
    assert out["top"][0]["unit"] == str(odd)
    assert out["top"][0]["kelurahan"] == u.groups["kelurahan"][odd]
    assert not out["flagged"]  # one odd station is worth a look, not a flag on the election
    assert out["p_value"] is None


def test_run_all_shape_and_regions():
    report = run_all(stuffed(clean_units(), 0.05), 0.01, fit=False)
    names = [t["test"] for t in report["tests"]]
    assert names == ["fingerprint", "integer_percent", "last_digit", "second_digit", "turnout_slope", "outliers"]
    for t in report["tests"]:
        assert {"statistic", "p_value", "flagged", "alpha", "source"} <= set(t)
        assert not any(k.startswith("_") for k in t)
    assert len(report["regions"]) == 5 and all("p_values" in r for r in report["regions"])


def test_bad_rows_are_counted_and_too_many_refused():
    df = pl.DataFrame({"r": [100, 100, 100, 0] + [100] * 96, "v": [50, 150, 60, 10] + [60] * 96,
                       "s": [48, 140, 58, 10] + [58] * 96, "w": [30, 100, 59, 5] + [30] * 96})
    u = from_frame(df, registered="r", voters="v", valid="s", winner="w", unit=None, groups={})
    assert len(u) == 97
    assert sum(u.excluded.values()) == 3
    from kawaltps.analytics.units import AnalyticsError

    bad = df.with_columns(pl.col("v") * 3)
    with pytest.raises(AnalyticsError, match="melebihi pemilih terdaftar"):
        from_frame(bad, registered="r", voters="v", valid="s", winner="w", unit=None, groups={})
