"""Integer percentages (Kobak, Shpilkin & Pshenichnikov 2016).

Source: D. Kobak, S. Shpilkin, M. S. Pshenichnikov, "Integer percentages as electoral falsification
fingerprints", *Annals of Applied Statistics* 10(1):54–73, 2016.

Whoever writes a result instead of counting it tends to write round numbers: a turnout of exactly
70 %, a leader's share of exactly 80 %. Rule: a fraction ``a/b`` (turnout = voters/registered,
leader's share = winner/valid) *is an integer percentage* when ``a`` is the numerator nearest to
some whole percent k, i.e. ``|100·a − k·b| ≤ 50`` — in integers: ``r = 100·a mod b`` has
``r ≤ 50`` or ``r ≥ b − 50``.

The null must be exact per station, because how often that happens by chance depends on ``b``:
every value is "integer" when b ≤ 100, about half of them when b = 200 (a typical Indonesian TPS),
about one in ten when b = 1000 (a Russian UIK). Under the null that the numerator is locally
smooth (a uniform draw among 1 … b−1 near where it fell), the probability for a station is the
share of numerators 1 … b−1 that are integer percentages. With g = gcd(100, b) the residues
100·a mod b run through the multiples of g, g times each per period, so for b > 100

    count(0 … b) = g·(2·⌊50/g⌋ + 1) + 1,  and  p(b) = (count − 2) / (b − 1)

(a = 0 and a = b are left out: 0 % and 100 % pile up for reasons that are not rounding — empty
stations, bloc voting — and the fingerprint test looks at them). The number of stations with an
integer turnout *or* share is then a sum of independent Bernoulli(p_i) (Poisson-binomial), with
mean Σp and variance Σp(1−p); the p-value is its upper tail (normal approximation with continuity
correction, accurate for the thousands of stations of an election).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from .common import DEFAULT_ALPHA, gsum, result

SOURCE = ("Kobak, Shpilkin & Pshenichnikov (2016), Integer percentages as electoral falsification "
          "fingerprints, Annals of Applied Statistics 10(1):54–73")


def is_integer_percent(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """True where a/b is the fraction nearest to a whole percent (see the module docstring)."""
    b = np.maximum(b, 1)
    r = (100 * a) % b
    return (r <= 50) | (r >= b - 50)


def null_probability(b: np.ndarray) -> np.ndarray:
    """p(b): the chance that a numerator 1 … b−1 drawn uniformly is an integer percentage of b."""
    b = b.astype(np.int64)
    g = np.gcd(100, np.maximum(b, 1))
    count = g * (2 * (50 // g) + 1) + 1
    with np.errstate(invalid="ignore", divide="ignore"):
        p = (count - 2) / np.maximum(b - 1, 1)
    return np.where(b <= 100, 1.0, np.clip(p, 0.0, 1.0))


def _components(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(eligible, observed integer, null probability) for the fraction a/b."""
    eligible = (a > 0) & (a < b)
    return eligible, eligible & is_integer_percent(a, b), np.where(eligible, null_probability(b), 0.0)


def _tail(observed: float, mean: float, var: float) -> float:
    if var <= 0:
        return 1.0 if observed <= mean else 0.0
    return float(stats.norm.sf((observed - 0.5 - mean) / np.sqrt(var)))


def integer_percent(u, alpha: float = DEFAULT_ALPHA, groups: np.ndarray | None = None, n_groups: int = 0) -> dict:
    """Stations whose turnout or winner's share is an integer percentage, against the exact null."""
    et, ot, pt = _components(u.voters, u.registered)
    es, os_, ps = _components(u.winner, u.valid)
    obs = ot | os_
    p = 1 - (1 - pt) * (1 - ps)
    mean, var = float(p.sum()), float((p * (1 - p)).sum())
    observed = float(obs.sum())
    pv = _tail(observed, mean, var)
    excess = observed - mean
    out = result("integer_percent", SOURCE, observed, pv, alpha,
                 pv < alpha and excess > 0, expected=mean, excess=excess,
                 excess_ratio=observed / mean if mean else None, units=len(u),
                 turnout={"observed": int(ot.sum()), "expected": float(pt.sum()), "eligible": int(et.sum()),
                          "p_value": _tail(float(ot.sum()), float(pt.sum()), float((pt * (1 - pt)).sum()))},
                 share={"observed": int(os_.sum()), "expected": float(ps.sum()), "eligible": int(es.sum()),
                        "p_value": _tail(float(os_.sum()), float(ps.sum()), float((ps * (1 - ps)).sum()))},
                 null="Poisson-binomial, p_i exact per station from its denominators")
    if groups is not None:
        o_g, m_g, v_g = gsum(groups, obs, n_groups), gsum(groups, p, n_groups), gsum(groups, p * (1 - p), n_groups)
        z = np.where(v_g > 0, (o_g - 0.5 - m_g) / np.sqrt(np.maximum(v_g, 1e-12)), -np.inf)
        out["_groups"] = {"observed": o_g, "expected": m_g, "p_value": stats.norm.sf(z)}
    return out


def histogram(u, bins_per_percent: int = 10) -> dict:
    """Counts of turnout and winner's share in 0.1-percentage-point bins (the Kobak et al. figure)."""
    edges = np.linspace(0, 100, 100 * bins_per_percent + 1)
    t = 100 * u.voters / u.registered
    s = 100 * u.share
    return {"edges": edges, "turnout": np.histogram(t, edges)[0], "share": np.histogram(s[np.isfinite(s)], edges)[0]}
