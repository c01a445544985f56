"""Stations that differ from their own neighbourhood (kelurahan, kecamatan, or a given region).

Rule: for each station, its winner's share and its turnout are compared with the stations of the
same group: robust z = (x − median of the group) / s, s = 1.4826 × the group's MAD, but never less
than the median of that over all groups of the level (the MAD of 5–10 stations is noisy and,
alone, calls 1 % of clean stations outliers). A station is
an outlier when |z| > :data:`Z` (5) for either quantity, in a group of at least :data:`MIN_GROUP`
stations. A medians-and-MAD rule (Hampel's) is used because the groups are small and the thing
looked for is exactly one odd station; neighbours share candidates, campaigns and demography, so
an odd one out is worth a look at its C.Hasil photo — not proof of anything.

No p-value: the groups are small and not normal, so the flag is the count of outliers; the list of
the most extreme ones (unit, group, z) is returned for a person to check. The test is flagged when
outliers exceed :data:`FLAG_SHARE` of the stations tested (twenty times the Gaussian rate at z 5 is
far below that: a flag means many neighbourhoods with a very odd station).

Vectorised: stations are sorted by group; the medians come from one sort per quantity
(one ``np.argsort`` of group + value), never a loop per station or per group.
"""

from __future__ import annotations

import numpy as np

from .common import result

SOURCE = "Hampel (1974) robust outlier rule (median/MAD) within the station's own kelurahan and kecamatan"
Z = 5.0
MIN_GROUP = 5
FLAG_SHARE = 0.01
TOP = 50


def _group_median(idx: np.ndarray, x: np.ndarray, n: int) -> np.ndarray:
    """Median of x (values in [0, 1]) per group, via one argsort of group + x/2 (no lexsort)."""
    order = np.argsort(idx + 0.5 * np.clip(x, 0, 1))
    xs = x[order]
    counts = np.bincount(idx, minlength=n)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    lo = starts + (counts - 1) // 2
    hi = starts + counts // 2
    valid = counts > 0
    med = np.full(n, np.nan)
    med[valid] = (xs[lo[valid]] + xs[hi[valid]]) / 2
    return med


def robust_z(idx: np.ndarray, n: int, x: np.ndarray) -> np.ndarray:
    """z per station against its group (``idx`` into ``n`` groups); NaN where the group is too small."""
    med = _group_median(idx, x, n)
    dev = np.abs(x - med[idx])
    mad = _group_median(idx, dev, n) * 1.4826
    counts = np.bincount(idx, minlength=n)
    typical = np.nanmedian(mad[counts >= MIN_GROUP]) if (counts >= MIN_GROUP).any() else 0.0
    mad = np.fmax(mad, typical)  # a small group's MAD is noisy: never below the level's typical spread
    size = counts[idx]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((size >= MIN_GROUP) & (mad[idx] > 0), (x - med[idx]) / mad[idx], np.nan)


def neighbourhood_outliers(u, levels: list[str], alpha: float | None = None) -> dict:
    """Outliers of winner share and turnout against each grouping in ``levels`` (names in ``u.groups``)."""
    share = np.clip(np.nan_to_num(u.share, nan=0.0), 0, 1)
    turnout = np.clip(u.turnout, 0, 1)
    worst = np.zeros(len(u))
    which = np.full(len(u), -1, dtype=np.int64)
    tested = np.zeros(len(u), dtype=bool)
    per_level = {}
    used = [level for level in levels if level in u.groups]
    for k, level in enumerate(used):
        _, idx = u.group(level)
        n = int(idx.max()) + 1 if len(idx) else 0
        zs, zt = robust_z(idx, n, share), robust_z(idx, n, turnout)
        z = np.fmax(np.abs(np.nan_to_num(zs, nan=0)), np.abs(np.nan_to_num(zt, nan=0)))
        tested |= np.isfinite(zs) | np.isfinite(zt)
        per_level[level] = int((z > Z).sum())
        better = z > worst
        worst = np.where(better, z, worst)
        which = np.where(better, k, which)
    mask = worst > Z
    n_tested = int(tested.sum())
    count = int(mask.sum())
    top = np.argsort(-worst)[: min(TOP, count)]
    listing = [{"unit": str(u.unit[i]), "level": used[which[i]], "z": float(worst[i]),
                "turnout": float(turnout[i]), "share": float(share[i]),
                **{k: str(v[i]) for k, v in u.groups.items()}} for i in top]
    return result("outliers", SOURCE, count, None, FLAG_SHARE,
                  n_tested > 0 and count > FLAG_SHARE * n_tested, tested=n_tested, per_level=per_level,
                  threshold_z=Z, top=listing, _mask=mask,
                  null="no p-value: flagged when outliers exceed the stated share of stations tested")
