"""Plots of the forensics (PNG and SVG), drawn with Matplotlib's Agg backend and no pyplot state
(one ``Figure`` per call, safe in a web process): the fingerprint, the digit distributions, the
integer-percentage histograms, and the quick count over time."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from matplotlib.colors import LogNorm  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .forensics import digits, integers  # noqa: E402
from .forensics.fingerprint import CORNER, histogram2d  # noqa: E402

KINDS = ("fingerprint", "digits", "integers")
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}


def fingerprint_figure(u, title: str = "") -> Figure:
    fig = Figure(figsize=(5.5, 4.6), layout="constrained")
    ax = fig.add_subplot()
    h = histogram2d(u, 100)
    img = ax.imshow(h.T, origin="lower", extent=[0, 100, 0, 100], aspect="auto", cmap="viridis",
                    norm=LogNorm(vmin=1, vmax=max(h.max(), 2)))
    c = 100 * CORNER
    ax.plot([c, c, 100], [100, c, c], color="red", lw=1)
    ax.set_xlabel(_("Turnout (%)"))
    ax.set_ylabel(_("Suara pemenang (persen suara sah)"))
    ax.set_title(title or _("Sidik jari pemilu (Klimek et al. 2012)"), fontsize=10)
    fig.colorbar(img, ax=ax, label=_("TPS"))
    return fig


def digits_figure(u) -> Figure:
    fig = Figure(figsize=(8, 3.4), layout="constrained")
    last, second = digits.last_digit(u), digits.second_digit_test(u)
    for ax, t, name in ((fig.add_subplot(1, 2, 1), last, _("Digit terakhir (Beber–Scacco)")),
                        (fig.add_subplot(1, 2, 2), second, _("Digit kedua (Mebane 2BL)"))):
        obs, exp = np.array(t["observed"], float), np.array(t["expected"], float)
        total = max(obs.sum(), 1)
        ax.bar(range(10), obs / total, color="#4a7ab5", label=_("teramati"))
        ax.plot(range(10), exp / total, "o-", color="black", ms=3, label=_("harapan"))
        ax.set_xticks(range(10))
        ax.set_title(f"{name}\np = {t['p_value']:.2g}" if t["p_value"] is not None else name, fontsize=9)
        ax.legend(fontsize=7)
    return fig


def integers_figure(u) -> Figure:
    fig = Figure(figsize=(8, 4.2), layout="constrained")
    h = integers.histogram(u)
    centres = (h["edges"][:-1] + h["edges"][1:]) / 2
    for i, (key, label) in enumerate((("turnout", _("Turnout (%)")), ("share", _("Suara pemenang (%)")))):
        ax = fig.add_subplot(2, 1, i + 1)
        ax.plot(centres, h[key], lw=0.6, color="#333")
        ax.set_xlabel(label)
        ax.set_ylabel(_("TPS per 0,1%"))
        ax.set_xlim(0, 100)
    fig.suptitle(_("Persentase bulat (Kobak, Shpilkin & Pshenichnikov 2016)"), fontsize=10)
    return fig


def timeline_figure(points: list[dict], numbers: list[str], threshold: float) -> Figure:
    fig = Figure(figsize=(7, 3.4), layout="constrained")
    ax = fig.add_subplot()
    x = [p["arrived"] for p in points]
    for j, n in enumerate(numbers):
        est = np.array([p["estimate"][j] for p in points]) * 100
        lo = np.array([p["low"][j] for p in points]) * 100
        hi = np.array([p["high"][j] for p in points]) * 100
        ax.plot(x, est, marker="o", ms=3, label=_("Paslon %(n)s") % {"n": n})
        ax.fill_between(x, lo, hi, alpha=0.2)
    ax.axhline(100 * threshold, color="red", lw=0.8, ls="--")
    ax.set_xlabel(_("TPS sampel yang sudah masuk"))
    ax.set_ylabel(_("Perkiraan (%)"))
    ax.legend(fontsize=8)
    return fig


def render(fig: Figure, fmt: str) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=110)
    return buf.getvalue()


def figure(kind: str, u) -> Figure:
    return {"fingerprint": fingerprint_figure, "digits": digits_figure, "integers": integers_figure}[kind](u)


def write_all(u, folder: Path) -> list[Path]:
    """Every forensic plot as PNG and SVG into ``folder``."""
    out = []
    for kind in KINDS:
        fig = figure(kind, u)
        for fmt in FORMATS:
            path = folder / f"{kind}.{fmt}"
            path.write_bytes(render(fig, fmt))
            out.append(path)
    return out
