"""The quick-count estimate: a stratified ratio estimator with Taylor-linearised standard errors.

Notation: strata h with N_h TPS in the population and m_h sampled TPS whose results have arrived;
for an arrived TPS i, y_ik the votes of paslon k and x_i = Σ_k y_ik its paslon votes.

    share   R_k = Ŷ_k / X̂,   Ŷ_k = Σ_h N_h ȳ_hk,   X̂ = Σ_h N_h x̄_h           (combined ratio estimator)
    d_ik  = y_ik − R_k x_i                                                      (Taylor linearisation)
    V(R_k) = (1/X̂²) Σ_h N_h² (1 − m_h/N_h) s²_hk / m_h,  s²_hk the sample variance of d_ik in h
    interval R_k ± z·SE,  P(R_k > t) = Φ((R_k − t)/SE)                          (normal approximation)

(Cochran, *Sampling Techniques*, 3rd ed. 1977, §6.11–6.12; the estimator of NDI's Apollo.) The
finite-population correction (1 − m_h/N_h) is per stratum. A stratum with one arrived TPS has no
variance of its own: it borrows the pooled within-stratum variance of the others ("collapsed
strata", Cochran §5A.12). A stratum with no arrived TPS is left out of both sums — the estimate then
describes only the covered strata, which is an *arrival bias*: it is reported (strata missing,
their share of the population, and the unweighted mean of the arrived TPS next to the stratified
estimate) and no race is called while it is large.

**Calling a race** (:func:`call`): with threshold t (0.5, Jakarta's runoff rule: a pair needs more
than 50 % of the valid votes to win in one round), the leader *wins outright* when its interval
lies above t; there is a *runoff* when the leader's interval lies below t, between the two leading
pairs if the second's interval is above the third's; else *too close to call*. And nothing is
called while fewer than :data:`MIN_ARRIVED` of the sample has arrived or the covered strata hold
less than :data:`MIN_COVERED` of the population.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

MIN_ARRIVED = 0.8
MIN_COVERED = 0.95


def estimate(y: np.ndarray, stratum: np.ndarray, population: np.ndarray, *, confidence: float = 0.95,
             threshold: float = 0.5) -> dict:
    """Shares, standard errors, intervals and P(> threshold) per column of ``y`` (arrived TPS × paslon).

    ``stratum`` indexes ``population`` (N_h per stratum, every stratum of the design)."""
    y = np.asarray(y, dtype=np.float64)
    n_strata = len(population)
    k = y.shape[1]
    x = y.sum(axis=1)
    m = np.bincount(stratum, minlength=n_strata).astype(np.float64)
    covered = m > 0
    w = np.where(covered, population / np.maximum(m, 1), 0.0)  # N_h / m_h per TPS of stratum h
    X = float((w[stratum] * x).sum())
    if X <= 0:
        return {"shares": np.full(k, np.nan), "se": np.full(k, np.nan), "arrived": int(len(x))}
    Y = np.array([(w[stratum] * y[:, j]).sum() for j in range(k)])
    R = Y / X
    d = y - R[None, :] * x[:, None]
    var = _strata_variance(d, stratum, m, population, X)
    se = np.sqrt(var)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        p_above = np.where(se > 0, stats.norm.sf((threshold - R) / se), (R > threshold).astype(float))
    return {"shares": R, "se": se, "low": R - z * se, "high": R + z * se, "p_above": p_above, "z": z,
            "arrived": int(len(x)), "covered_population": float(population[covered].sum() / population.sum()),
            "strata_arrived": m.astype(np.int64)}


def _strata_variance(d: np.ndarray, stratum: np.ndarray, m: np.ndarray, N: np.ndarray, X: float) -> np.ndarray:
    """Σ_h N_h² (1 − m_h/N_h) s²_h / m_h / X², per column of d (one bincount per moment)."""
    n_strata = len(N)
    k = d.shape[1]
    s1 = np.stack([np.bincount(stratum, weights=d[:, j], minlength=n_strata) for j in range(k)], axis=1)
    s2 = np.stack([np.bincount(stratum, weights=d[:, j] ** 2, minlength=n_strata) for j in range(k)], axis=1)
    mm = m[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        s2h = (s2 - s1 ** 2 / np.maximum(mm, 1)) / np.maximum(mm - 1, 1)
    own = m >= 2
    if own.any():
        pooled = (s2h[own] * (mm[own] - 1)).sum(axis=0) / np.maximum((m[own] - 1).sum(), 1)
    else:
        pooled = np.zeros(k)
    single = m == 1
    s2h[single] = pooled
    s2h[m == 0] = 0.0
    fpc = np.where(m > 0, 1 - m / np.maximum(N, 1), 0.0)
    contrib = (N ** 2 * fpc / np.maximum(m, 1))[:, None] * s2h
    return np.clip(contrib.sum(axis=0), 0, None) / X ** 2


def margin(y: np.ndarray, stratum: np.ndarray, population: np.ndarray, a: int, b: int,
           confidence: float = 0.95) -> dict:
    """Share of paslon a minus share of paslon b: the same ratio estimator on the column y_a − y_b."""
    y = np.asarray(y, dtype=np.float64)
    diff = (y[:, a] - y[:, b])[:, None]
    x = y.sum(axis=1)
    m = np.bincount(stratum, minlength=len(population)).astype(np.float64)
    w = np.where(m > 0, population / np.maximum(m, 1), 0.0)
    X = float((w[stratum] * x).sum())
    if X <= 0:
        return {"difference": None, "se": None, "low": None, "high": None}
    R = float((w[stratum] * diff[:, 0]).sum() / X)
    se = float(np.sqrt(_strata_variance(diff - R * x[:, None], stratum, m, population, X)[0]))
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    return {"difference": R, "se": se, "low": R - z * se, "high": R + z * se}


def call(est: dict, numbers: list[str], *, threshold: float, sample_size: int) -> dict:
    """The decision (see the module docstring): outright / runoff / too_close / not_yet, with a reason."""
    arrived_share = est["arrived"] / sample_size if sample_size else 0.0
    covered = est.get("covered_population", 0)
    if arrived_share < MIN_ARRIVED or covered < MIN_COVERED:
        return {"status": "not_yet", "leader": None,
                "reason": f"masuk {100 * arrived_share:.0f}% sampel, strata yang terwakili memuat {100 * covered:.0f}% "
                          f"TPS (perlu {100 * MIN_ARRIVED:.0f}% dan {100 * MIN_COVERED:.0f}%)"}
    order = np.argsort(-est["shares"])
    lead = int(order[0])
    if est["low"][lead] > threshold:
        return {"status": "outright", "leader": numbers[lead],
                "reason": f"interval pemimpin di atas {100 * threshold:.0f}%"}
    if est["high"][lead] < threshold:
        pair = None
        if len(order) >= 3 and est["low"][order[1]] > est["high"][order[2]]:
            pair = [numbers[lead], numbers[int(order[1])]]
        elif len(order) == 2:
            pair = [numbers[lead], numbers[int(order[1])]]
        return {"status": "runoff", "leader": numbers[lead], "runoff": pair,
                "reason": f"interval pemimpin di bawah {100 * threshold:.0f}%"}
    return {"status": "too_close", "leader": None,
            "reason": f"interval pemimpin memuat {100 * threshold:.0f}%"}
