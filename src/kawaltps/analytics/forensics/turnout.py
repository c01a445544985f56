"""Turnout against the winner: slope and correlation.

Source: M. Myagkov, P. C. Ordeshook, D. Shakin, *The Forensics of Election Fraud: Russia and
Ukraine*, Cambridge University Press 2009, ch. 2.

Regress the winner's votes as a share of the *registered* voters (W/N) on turnout (T/N), over
stations, weighted by N. When more people vote, at most all of the extra voters can vote for the
winner, so an honest slope lies between 0 and 1; a slope above 1 means the winner gains more votes
than there are extra voters — ballots added for the winner (or taken from others). The test is
one-sided, H0: slope ≤ 1, with a t statistic. The Pearson correlation of turnout and the winner's
share of the valid vote is reported beside it (a strong positive correlation is the usual
signature of stuffing, but strongholds that both turn out and vote one way produce it honestly).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from .common import DEFAULT_ALPHA, gsum, result

SOURCE = "Myagkov, Ordeshook & Shakin (2009), The Forensics of Election Fraud, Cambridge UP, ch. 2"


def _wls(x, y, w, idx=None, n=1):
    """Weighted least squares slope and its standard error, per group when idx is given."""
    if idx is None:
        idx = np.zeros(len(x), dtype=np.int64)
    sw, sx, sy = gsum(idx, w, n), gsum(idx, w * x, n), gsum(idx, w * y, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx, my = sx / sw, sy / sw
        sxx = gsum(idx, w * x * x, n) - sw * mx * mx
        sxy = gsum(idx, w * x * y, n) - sw * mx * my
        slope = sxy / sxx
        resid = y - (my[idx] + slope[idx] * (x - mx[idx]))
        k = np.bincount(idx, minlength=n)
        # residual variance with the weights normalised to the number of stations
        s2 = gsum(idx, w * resid * resid, n) / sw * k / np.maximum(k - 2, 1)
        se = np.sqrt(s2 / (sxx / sw * k))
        r_num = sxy
    return slope, se, k, r_num


def turnout_slope(u, alpha: float = DEFAULT_ALPHA, groups: np.ndarray | None = None, n_groups: int = 0) -> dict:
    """Slope of W/N on T/N (flag when significantly above 1) and corr(turnout, winner share)."""
    x = u.voters / u.registered
    y = u.winner / u.registered
    w = u.registered.astype(np.float64)
    slope, se, k, _ = _wls(x, y, w)
    t = (slope[0] - 1) / se[0] if se[0] > 0 else float("nan")
    p = float(stats.t.sf(t, max(k[0] - 2, 1))) if np.isfinite(t) else None
    share = u.share
    ok = np.isfinite(share)
    if ok.sum() > 2 and np.std(share[ok]) > 0 and np.std(x[ok]) > 0:
        r, p_r = stats.pearsonr(x[ok], share[ok])
    else:
        r, p_r = float("nan"), None
    out = result("turnout_slope", SOURCE, slope[0], p, alpha,
                 p is not None and p < alpha and slope[0] > 1, standard_error=se[0],
                 null="slope ≤ 1 (one-sided t)", correlation=float(r),
                 correlation_p_value=None if p_r is None else float(p_r), units=int(k[0]))
    if groups is not None:
        gs, gse, gk, _ = _wls(x, y, w, groups, n_groups)
        with np.errstate(invalid="ignore", divide="ignore"):
            gt = (gs - 1) / gse
        out["_groups"] = {"slope": gs, "p_value": np.where(gk >= 10, stats.t.sf(gt, np.maximum(gk - 2, 1)), np.nan)}
    return out
