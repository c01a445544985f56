"""The election fingerprint (Klimek, Yegorov, Hanel & Thurner 2012).

Source: P. Klimek, Y. Yegorov, R. Hanel, S. Thurner, "Statistical detection of systematic election
irregularities", *PNAS* 109(41):16469–16473, 2012.

1. **Fingerprint**: the 2-D histogram of turnout (x) against the winner's share of the valid votes
   (y), one count per station. A clean election is one smeared blob; ballot stuffing draws a
   streak from the blob to the corner (100 %, 100 %).
2. **Corner test**: the statistic is the number of stations with turnout AND share both above
   :data:`CORNER` (0.9). The null is the clean model below (f_i = f_e = 0) fitted to the data:
   turnout ~ Normal(μ_t, σ_t), share ~ Normal(μ_s, σ_s), independent, with μ the peak of the
   stations' histogram and σ from the stations *below* the peak (1.4826 × their median distance
   to it) — the side that ballot stuffing does not reach — and each station's own binomial
   noise added to the variance (p(1−p)/N), because a small station reaches the corner by chance
   far more often than a big one. Each station's chance p_i of landing in the corner is the
   product of the two normal tails; the count is compared with a Poisson(Σp_i) upper tail.
3. **Fraud fractions**: the model of the paper's SI: with probability f_i a station has
   *incremental* fraud — a fraction x ~ |Normal(0, 0.15)| of its non-voters is cast for the winner
   and the same fraction of the others' votes moved to the winner; with probability f_e *extreme*
   fraud — x ~ 1 − |Normal(0, 0.075)|. (f_i, f_e) is fitted on a grid by the least squares between
   the model's and the data's 2-D histograms (20 × 20 bins; at most :data:`FIT_UNITS` stations, the
   same random numbers at every grid point so the surface is smooth). The fit describes, the
   corner test decides.

Honest caveats (see docs/analytics.md): strongholds, and legal bloc voting (the *noken* system in
Papua: one village's votes cast together) also fill the corner; read it next to the region map.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from .common import DEFAULT_ALPHA, gsum, result

SOURCE = ("Klimek, Yegorov, Hanel & Thurner (2012), Statistical detection of systematic election "
          "irregularities, PNAS 109(41):16469–16473")
CORNER = 0.9
FIT_UNITS = 20000
FI_GRID = np.round(np.arange(0, 0.81, 0.05), 3)
FE_GRID = np.round(np.concatenate([np.arange(0, 0.02, 0.0025), np.arange(0.02, 0.101, 0.01)]), 4)


def histogram2d(u, bins: int = 100) -> np.ndarray:
    """Counts[turnout bin, share bin] on [0, 1]²."""
    s = u.share
    ok = np.isfinite(s)
    h, _, _ = np.histogram2d(u.turnout[ok], s[ok], bins=bins, range=[[0, 1], [0, 1]])
    return h


def _robust(x: np.ndarray) -> tuple[float, float]:
    """(mode, spread of the lower side): fraud pushes stations up and to the right, so the clean blob is
    read where fraud does not reach — its peak (a smoothed 100-bin histogram) and the stations below
    it (σ = 1.4826 × their median distance to the peak)."""
    hist, edges = np.histogram(np.clip(x, 0, 1), bins=100, range=(0, 1))
    smooth = np.convolve(hist, np.ones(5) / 5, mode="same")
    mode = float((edges[np.argmax(smooth)] + edges[np.argmax(smooth) + 1]) / 2)
    below = x[x <= mode]
    if len(below) < 10:
        below = x
    return mode, max(float(1.4826 * np.median(np.abs(below - mode))), 1e-3)


def clean_model(u) -> dict:
    t, s = u.turnout, u.share
    ok = np.isfinite(s)
    mt, st = _robust(t[ok])
    ms, ss = _robust(s[ok])
    return {"turnout_mean": mt, "turnout_sd": st, "share_mean": ms, "share_sd": ss}


def corner_probability(u, model: dict, corner: float = CORNER) -> np.ndarray:
    """Each station's chance of the corner under the clean model with its own binomial noise."""
    mt, st, ms, ss = model["turnout_mean"], model["turnout_sd"], model["share_mean"], model["share_sd"]
    n_t = np.maximum(u.registered, 1)
    n_s = np.maximum(mt * n_t, 1)
    sd_t = np.sqrt(st ** 2 + mt * (1 - mt) / n_t)
    sd_s = np.sqrt(ss ** 2 + ms * (1 - ms) / n_s)
    return stats.norm.sf((corner - mt) / sd_t) * stats.norm.sf((corner - ms) / sd_s)


def _simulate(n_reg, model, fi, fe, rng_state):
    u_frac, x_inc, x_ext, z_t, z_s = rng_state
    t = np.clip(model["turnout_mean"] + model["turnout_sd"] * z_t, 0, 1)
    s = np.clip(model["share_mean"] + model["share_sd"] * z_s, 0, 1)
    x = np.where(u_frac < fe, x_ext, np.where(u_frac < fe + fi, x_inc, 0.0))
    new_t = t + x * (1 - t)
    winner = s * t + x * (1 - t) + x * (1 - s) * t
    with np.errstate(invalid="ignore", divide="ignore"):
        new_s = np.where(new_t > 0, winner / new_t, 0)
    return new_t, np.clip(new_s, 0, 1)


def fit_fraud(u, model: dict, seed: int = 12) -> dict:
    """Least-squares (f_i, f_e) of the Klimek model on a grid (see the module docstring)."""
    rng = np.random.default_rng(seed)
    s = u.share
    keep = np.flatnonzero(np.isfinite(s))
    if len(keep) > FIT_UNITS:
        keep = rng.choice(keep, FIT_UNITS, replace=False)
    n = len(keep)
    if n < 50:
        return {"incremental": None, "extreme": None, "distance": None}
    bins = 20

    def hist(t, sh):  # 20 × 20 bins on [0, 1]², one bincount
        row = np.minimum((t * bins).astype(np.int64), bins - 1)
        i = row * bins + np.minimum((sh * bins).astype(np.int64), bins - 1)
        return np.bincount(i, minlength=bins * bins) / n

    data_h = hist(np.clip(u.turnout[keep], 0, 1), np.clip(s[keep], 0, 1))
    state = (rng.random(n), np.clip(np.abs(rng.normal(0, 0.15, n)), 0, 1),
             np.clip(1 - np.abs(rng.normal(0, 0.075, n)), 0, 1), rng.standard_normal(n), rng.standard_normal(n))
    best = (np.inf, 0.0, 0.0)
    for fi in FI_GRID:
        for fe in FE_GRID:
            if fi + fe > 1:
                continue
            t, sh = _simulate(u.registered[keep], model, fi, fe, state)
            d = float(((hist(t, sh) - data_h) ** 2).sum())
            if d < best[0]:
                best = (d, float(fi), float(fe))
    return {"incremental": best[1], "extreme": best[2], "distance": best[0]}


def fingerprint(u, alpha: float = DEFAULT_ALPHA, groups: np.ndarray | None = None, n_groups: int = 0,
                fit: bool = True) -> dict:
    """Corner count against the clean model (Poisson tail), the fitted fraud fractions, the histogram."""
    model = clean_model(u)
    p_i = corner_probability(u, model)
    s = u.share
    in_corner = (u.turnout > CORNER) & (np.nan_to_num(s) > CORNER)
    observed, expected = int(in_corner.sum()), float(p_i.sum())
    p = float(stats.poisson.sf(observed - 1, expected)) if observed > 0 else 1.0
    out = result("fingerprint", SOURCE, observed, p, alpha,
                 p < alpha and observed > expected, expected=expected,
                 corner_share=observed / len(u) if len(u) else 0.0, corner=CORNER, clean_model=model,
                 null="Poisson(Σp_i), p_i from the fitted clean model with each station's binomial noise",
                 fraud_fit=fit_fraud(u, model) if fit else None)
    if groups is not None:
        o = np.bincount(groups, weights=in_corner.astype(np.float64), minlength=n_groups)
        e = gsum(groups, p_i, n_groups)
        out["_groups"] = {"observed": o, "expected": e,
                          "p_value": np.where(o > 0, stats.poisson.sf(o - 1, np.maximum(e, 1e-300)), 1.0)}
    return out
