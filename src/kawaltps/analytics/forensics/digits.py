"""Digit tests: Beber & Scacco's last digits and Mebane's second digit (2BL).

Counts used: the winner's votes and the other candidates' votes together (valid − winner) of each
station — the per-candidate counts these papers test. Digit tests have WEAK power: clean
elections fail them (counts bunched by small, similar stations) and skilful fraud passes them.
Read them together with the other tests, never alone (Deckert, Myagkov & Ordeshook 2011).

- Last digit (Beber & Scacco 2012, "What the numbers say: a digit-based test for election fraud",
  *Political Analysis* 20(2):211–234): in counts of at least :data:`MIN_LAST` the last digit is
  uniform on 0–9 when the counts' distribution is flat over ten votes — Pearson χ² with 9 degrees
  of freedom. It is not flat where stations are small: with falling frequencies a count ending in
  0 is more common than one ending in 9 (Canada 2011 fails the plain uniform test at p = 5·10⁻⁵).
  So the expected frequencies come from the counts' own histogram smoothed by two 10-wide boxes
  (a 19-wide triangle): that removes any structure of period 10 — the digits — and keeps the
  slope. On a flat histogram this is exactly the uniform null of Beber & Scacco. Their second
  signature, last two digits that repeat (11, 22, …) in 10 % of counts ≥ 100, is reported beside
  it (binomial, two-sided, normal approximation; not part of the flag).
- Second digit (Mebane 2006, "Election forensics: vote counts and Benford's law", Summer Meeting of
  the Political Methodology Society; 2BL): in counts ≥ 10 the second digit d follows
  P(d) = Σ_{k=1..9} log10(1 + 1/(10k + d)) — Pearson χ² with 9 degrees of freedom, and the mean
  second digit (4.187 under 2BL).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from .common import DEFAULT_ALPHA, result

MIN_LAST = 10
MIN_PAIR = 100
BEBER_SCACCO = ("Beber & Scacco (2012), What the numbers say: a digit-based test for election fraud, "
                "Political Analysis 20(2):211–234")
MEBANE = "Mebane (2006), Election forensics: vote counts and Benford's law (second-digit Benford, 2BL)"
BENFORD2 = np.array([sum(np.log10(1 + 1 / (10 * k + d)) for k in range(1, 10)) for d in range(10)])


def counts(u) -> np.ndarray:
    return np.concatenate([u.winner, u.valid - u.winner]).astype(np.int64)


def second_digit(x: np.ndarray) -> np.ndarray:
    """The second digit from the left of each x ≥ 10."""
    ndig = np.floor(np.log10(np.maximum(x, 1))).astype(np.int64)
    return (x // (10 ** (ndig - 1))) % 10


def _chi2(observed: np.ndarray, probs: np.ndarray) -> tuple[float, float]:
    n = observed.sum()
    if n == 0:
        return float("nan"), float("nan")
    expected = n * probs
    chi2 = float(((observed - expected) ** 2 / expected).sum())
    return chi2, float(stats.chi2.sf(chi2, len(probs) - 1))


def smooth_last_digit_probs(x: np.ndarray) -> np.ndarray:
    """Expected last-digit frequencies of the counts ``x`` (all ≥ 0) among those ≥ MIN_LAST, from
    their histogram smoothed by two 10-wide boxes (see the module docstring)."""
    if len(x) == 0:
        return np.full(10, 0.1)
    hist = np.bincount(x).astype(np.float64)
    kernel = np.convolve(np.ones(10), np.ones(10)) / 100.0
    smooth = np.convolve(hist, kernel, mode="same")
    c = np.arange(len(smooth))
    probs = np.bincount(c[MIN_LAST:] % 10, weights=smooth[MIN_LAST:], minlength=10)
    total = probs.sum()
    return probs / total if total > 0 else np.full(10, 0.1)


def last_digit(u, alpha: float = DEFAULT_ALPHA) -> dict:
    """Beber & Scacco: last digits against the smooth-density null, and repeated last-two digits."""
    allx = counts(u)
    probs = smooth_last_digit_probs(allx)
    x = allx[allx >= MIN_LAST]
    observed = np.bincount(x % 10, minlength=10)
    chi2, p = _chi2(observed, probs)
    chi2_uniform, p_uniform = _chi2(observed, np.full(10, 0.1))
    big = x[x >= MIN_PAIR]
    repeats = int((((big // 10) % 10) == (big % 10)).sum())
    n_big = len(big)
    z = (repeats - 0.1 * n_big) / np.sqrt(0.09 * n_big) if n_big else float("nan")
    p_pair = float(2 * stats.norm.sf(abs(z))) if n_big else None
    return result("last_digit", BEBER_SCACCO, chi2, p, alpha, bool(p < alpha),
                  n=int(len(x)), observed=observed.tolist(), expected=(probs * len(x)).tolist(),
                  null="last digits of the smoothed histogram of counts (uniform when it is flat), χ²(9)",
                  uniform={"statistic": chi2_uniform, "p_value": p_uniform},
                  repeated_pairs={"observed": repeats, "expected": 0.1 * n_big, "n": n_big, "p_value": p_pair})


def second_digit_test(u, alpha: float = DEFAULT_ALPHA) -> dict:
    """Mebane's 2BL: second digits of counts ≥ 10 against second-digit Benford."""
    x = counts(u)
    x = x[x >= 10]
    observed = np.bincount(second_digit(x), minlength=10)
    chi2, p = _chi2(observed, BENFORD2)
    mean = float((np.arange(10) * observed).sum() / observed.sum()) if observed.sum() else float("nan")
    return result("second_digit", MEBANE, chi2, p, alpha, bool(p < alpha),
                  n=int(len(x)), observed=observed.tolist(), expected=(BENFORD2 * len(x)).tolist(),
                  mean=mean, expected_mean=float((np.arange(10) * BENFORD2).sum()),
                  null="second-digit Benford, χ²(9)")


def by_group(u, groups: np.ndarray, n_groups: int) -> dict:
    """χ² p-values of both digit tests per group (vectorised: a 2-D bincount)."""
    g = np.concatenate([groups, groups])
    x = counts(u)
    order = np.argsort(g, kind="stable")
    bounds = np.searchsorted(g[order], np.arange(n_groups + 1))
    last_probs = np.array([smooth_last_digit_probs(x[order[bounds[i]:bounds[i + 1]]]) for i in range(n_groups)])
    out = {}
    for name, keep, digit, probs in (("last_digit", x >= MIN_LAST, lambda v: v % 10, last_probs),
                                     ("second_digit", x >= 10, second_digit, BENFORD2)):
        obs = np.bincount(g[keep] * 10 + digit(x[keep]), minlength=10 * n_groups).reshape(n_groups, 10)
        n = obs.sum(axis=1, keepdims=True)
        exp = np.maximum(n * probs, 1e-12)
        chi2 = ((obs - exp) ** 2 / exp).sum(axis=1)
        out[name] = np.where(n[:, 0] >= 50, stats.chi2.sf(chi2, 9), np.nan)
    return out
