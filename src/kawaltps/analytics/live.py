"""The quick count of a stored draw as results arrive: estimate, margin, call, arrival bias, timeline.

Pure arithmetic is in :mod:`.quickcount`; this module reads the draw's sample
(:func:`.data.sample_frame`) and shapes what the page and ``kawaltps quickcount`` show.
"""

from __future__ import annotations

import datetime

import numpy as np
import polars as pl

from . import quickcount
from .data import sample_frame

TIMELINE_POINTS = 12


def _design(draw) -> tuple[list[str], np.ndarray, np.ndarray]:
    strata = sorted(draw.design.get("strata", {}))
    population = np.array([draw.design["strata"][s][0] for s in strata], dtype=np.float64)
    planned = np.array([draw.design["strata"][s][1] for s in strata], dtype=np.int64)
    return strata, population, planned


def _estimate(arrived: pl.DataFrame, vcols, strata, population, confidence, threshold):
    index = {s: i for i, s in enumerate(strata)}
    h = arrived["stratum"].replace_strict(index, return_dtype=pl.Int64).to_numpy()
    y = arrived.select(vcols).to_numpy().astype(np.float64)
    return quickcount.estimate(y, h, population, confidence=confidence, threshold=threshold), y, h


def update(draw, source: str = "witness", *, threshold: float = 0.5, timeline: bool = True) -> dict:
    """Everything the quick-count page and command show for ``draw`` now."""
    frame = sample_frame(draw, source)
    vcols = [c for c in frame.columns if c.startswith("v") and c[1:].isdigit()]
    numbers = [c[1:] for c in vcols]
    strata, population, planned = _design(draw)
    arrived = frame.filter(pl.col(vcols[0]).is_not_null()) if vcols else frame.clear()
    arrived = arrived.filter(pl.sum_horizontal(vcols) > 0) if vcols else arrived
    out = {"election": draw.election.slug, "source": source, "threshold": threshold,
           "confidence": draw.confidence,
           "draw": {"id": draw.pk, "seed": draw.seed, "strata": draw.strata, "sample_size": draw.sample_size,
                    "population": draw.population, "created_at": draw.created_at.isoformat()},
           "arrived": arrived.height, "paslon": [], "call": None, "margin": None}
    m = np.bincount(arrived["stratum"].replace_strict({s: i for i, s in enumerate(strata)},
                                                      return_dtype=pl.Int64).to_numpy(), minlength=len(strata)) \
        if arrived.height else np.zeros(len(strata), dtype=np.int64)
    missing = [{"stratum": s, "population": int(population[i]), "planned": int(planned[i]), "arrived": int(m[i])}
               for i, s in enumerate(strata) if m[i] < planned[i]]
    missing.sort(key=lambda r: (r["arrived"] > 0, -r["population"]))
    out["arrival"] = {
        "strata": len(strata), "strata_without_any": int((m == 0).sum()),
        "population_share_without_any": float(population[m == 0].sum() / population.sum()) if len(strata) else 0.0,
        "missing": missing[:50], "missing_count": len(missing)}
    if arrived.height == 0 or not vcols:
        out["call"] = {"status": "not_yet", "leader": None, "reason": "belum ada TPS sampel yang masuk"}
        return out
    est, y, h = _estimate(arrived, vcols, strata, population, draw.confidence, threshold)
    names = dict(draw.election.candidates.values_list("number", "name"))
    for j, n in enumerate(numbers):
        out["paslon"].append({"number": n, "name": names.get(int(n), ""), "estimate": float(est["shares"][j]),
                              "se": float(est["se"][j]), "low": float(est["low"][j]), "high": float(est["high"][j]),
                              "p_above_threshold": float(est["p_above"][j])})
    order = np.argsort(-est["shares"])
    if len(order) >= 2:
        out["margin"] = {"between": [numbers[int(order[0])], numbers[int(order[1])]],
                         **quickcount.margin(y, h, population, int(order[0]), int(order[1]), draw.confidence)}
    out["covered_population"] = est["covered_population"]
    naive = y[:, int(order[0])].sum() / y.sum()
    out["arrival"]["unweighted_leader_share"] = float(naive)
    out["arrival"]["leader_bias"] = float(naive - est["shares"][int(order[0])])
    out["call"] = quickcount.call(est, numbers, threshold=threshold, sample_size=draw.sample_size)
    if timeline:
        out["timeline"] = _timeline(arrived, vcols, strata, population, draw, threshold)
    return out


def _timeline(arrived, vcols, strata, population, draw, threshold) -> list[dict]:
    """The estimate as it stood after each twelfth of the arrivals (by the time each result last changed)."""
    arrived = arrived.sort("at")
    n = arrived.height
    cuts = sorted({int(np.ceil(n * k / TIMELINE_POINTS)) for k in range(1, TIMELINE_POINTS + 1)} - {0})
    points = []
    for cut in cuts:
        part = arrived.head(cut)
        est, _, _ = _estimate(part, vcols, strata, population, draw.confidence, threshold)
        at = part["at"][-1]
        points.append({"arrived": cut, "at": datetime.datetime.fromtimestamp(at, datetime.UTC).isoformat()
                       if at is not None else None,
                       "estimate": [float(v) for v in est["shares"]], "low": [float(v) for v in est["low"]],
                       "high": [float(v) for v in est["high"]], "p_above": [float(v) for v in est["p_above"]]})
    return points
