"""Election forensics: each test a documented function returning its statistic, its null or p-value,
and a flag at a stated significance (see each module's docstring for the rule and the paper).

:func:`run_all` runs every test on a :class:`~kawaltps.analytics.units.Units` and, when the units
carry a ``region`` grouping, the cheap ones again per region (group-wise sums, no loop per station).
"""

from __future__ import annotations

import numpy as np

from .common import DEFAULT_ALPHA
from .digits import by_group as digits_by_group
from .digits import last_digit, second_digit_test
from .fingerprint import fingerprint
from .integers import integer_percent
from .outliers import neighbourhood_outliers
from .turnout import turnout_slope

TESTS = ["fingerprint", "integer_percent", "last_digit", "second_digit", "turnout_slope", "outliers"]
MIN_REGION_UNITS = 30


def run_all(u, alpha: float = DEFAULT_ALPHA, *, outlier_levels: list[str] | None = None, fit: bool = True) -> dict:
    """{"units", "excluded", "alpha", "tests": [...], "regions": [...]} (regions only with a ``region`` grouping)."""
    if len(u) == 0:
        from django.utils.translation import gettext as _

        from ..units import AnalyticsError

        raise AnalyticsError(_("Belum ada hasil TPS untuk dianalisis."))
    names, idx = u.group("region") if "region" in u.groups else (None, None)
    n_groups = len(names) if names is not None else 0
    levels = outlier_levels or [k for k in ("kelurahan", "kecamatan", "region") if k in u.groups]
    tests = [
        fingerprint(u, alpha, idx, n_groups, fit=fit),
        integer_percent(u, alpha, idx, n_groups),
        last_digit(u, alpha),
        second_digit_test(u, alpha),
        turnout_slope(u, alpha, idx, n_groups),
        neighbourhood_outliers(u, levels),
    ]
    report = {"units": len(u), "excluded": u.excluded, "alpha": alpha, "winner": u.winner_label,
              "turnout": float(u.voters.sum() / u.registered.sum()),
              "winner_share": float(u.winner.sum() / max(u.valid.sum(), 1)), "tests": tests, "regions": []}
    if names is not None:
        report["regions"] = _regions(u, tests, names, idx, alpha)
    for t in tests:
        t.pop("_groups", None)
        t.pop("_mask", None)
    return report


def _regions(u, tests, names, idx, alpha) -> list[dict]:
    n = len(names)
    size = np.bincount(idx, minlength=n)
    reg = np.bincount(idx, weights=u.registered.astype(float), minlength=n)
    vot = np.bincount(idx, weights=u.voters.astype(float), minlength=n)
    val = np.bincount(idx, weights=u.valid.astype(float), minlength=n)
    win = np.bincount(idx, weights=u.winner.astype(float), minlength=n)
    by = {t["test"]: t for t in tests}
    digits = digits_by_group(u, idx, n)
    outl = np.bincount(idx, weights=by["outliers"]["_mask"].astype(float), minlength=n)
    fp, ip, ts = by["fingerprint"]["_groups"], by["integer_percent"]["_groups"], by["turnout_slope"]["_groups"]
    rows = []
    for g in range(n):
        if size[g] < MIN_REGION_UNITS:
            continue
        p = {"fingerprint": fp["p_value"][g], "integer_percent": ip["p_value"][g],
             "last_digit": digits["last_digit"][g], "second_digit": digits["second_digit"][g],
             "turnout_slope": ts["p_value"][g] if ts["slope"][g] > 1 else np.nan}
        # per region the same alpha is divided by the number of regions (Bonferroni): many regions, many chances
        level = alpha / max(n, 1)
        flags = sorted(k for k, v in p.items() if np.isfinite(v) and v < level
                       and (k != "fingerprint" or fp["observed"][g] > fp["expected"][g])
                       and (k != "integer_percent" or ip["observed"][g] > ip["expected"][g]))
        rows.append({"region": str(names[g]), "units": int(size[g]), "turnout": float(vot[g] / reg[g]),
                     "winner_share": float(win[g] / val[g]) if val[g] else None,
                     "corner": int(fp["observed"][g]), "corner_expected": float(fp["expected"][g]),
                     "integer": int(ip["observed"][g]), "integer_expected": float(ip["expected"][g]),
                     "slope": float(ts["slope"][g]) if np.isfinite(ts["slope"][g]) else None,
                     "outliers": int(outl[g]),
                     "p_values": {k: (float(v) if np.isfinite(v) else None) for k, v in p.items()},
                     "alpha": level, "flags": flags})
    rows.sort(key=lambda r: (-len(r["flags"]), r["region"]))
    return rows
