"""What every forensic test returns, and group-wise sums (one ``np.bincount`` per quantity)."""

from __future__ import annotations

import math

import numpy as np
from django.utils.translation import gettext_lazy as _

DEFAULT_ALPHA = 0.001  # a national election has tens of thousands of units: a strict level by default


TITLES = {
    "fingerprint": _("Sidik jari pemilu (turnout × suara pemenang)"),
    "integer_percent": _("Persentase bulat (turnout atau suara pemenang)"),
    "last_digit": _("Digit terakhir (Beber–Scacco)"),
    "second_digit": _("Digit kedua (Mebane 2BL)"),
    "turnout_slope": _("Kemiringan suara pemenang terhadap turnout"),
    "outliers": _("TPS yang menyimpang dari tetangganya"),
}


def result(name: str, source: str, statistic: float, p_value: float | None, alpha: float,
           flagged: bool, **extra) -> dict:
    """The JSON shape of one test: ``statistic``, ``p_value`` (None when the test has none),
    ``alpha`` (the significance used), ``flagged``, the citation, its title in the active language,
    and test-specific details."""
    return {"test": name, "title": str(TITLES[name]), "source": source, "statistic": _num(statistic),
            "p_value": _num(p_value), "alpha": alpha, "flagged": bool(flagged), **extra}


def _num(x):
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def gsum(idx: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(idx, weights=values.astype(np.float64), minlength=n)
