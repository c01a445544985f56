"""Does Bimtek work? Outcomes of saksi on duty compared by training, by post-test score, by trainer
and by ormas, each with a Wilson interval.

The unit is one observation of one outcome for one saksi (a *measure*). :data:`MEASURES` maps a
measure's name to (label, whether a higher rate is better, a function ``(election) -> Polars frame
[user_id, hit]`` given the election and a region code prefix: one row per observation,
hit 0/1). Today one measure exists:

- ``chasil_flagged``: each C.Hasil a saksi submitted from the TPS (``Submission`` kind ``saksi``),
  hit = at least one arithmetic check failed (its ``flags`` are not empty) — lower is better.

Checklists, incidents with complete evidence and on-time check-ins come with the election-day app:
each becomes one more entry in :data:`MEASURES` and appears on the page and in
:func:`effectiveness` without other changes.

Each saksi (a user with a ``Volunteer`` record) is put in groups (:func:`saksi_frame`):

- ``training``: *certified* (a valid certificate), *trained* (attended a session, no certificate),
  *untrained* (neither);
- ``score_band``: their best submitted post-test, in bands :data:`SCORE_BANDS` (or "no post-test");
- ``trainer`` of the session they attended most recently, and their ``ormas`` (the volunteer's).

Rates are successes / observations with the Wilson score interval (Wilson 1927, *JASA* 22:209–212)
at 95 %: p̃ = (p + z²/2n) / (1 + z²/n), half-width z·√(p(1−p)/n + z²/4n²) / (1 + z²/n). Observations
of one saksi are not independent; with a few submissions per saksi the intervals are a little
too narrow (said on the page).
"""

from __future__ import annotations

from collections.abc import Callable
from statistics import NormalDist
from typing import TYPE_CHECKING

import polars as pl
from django.utils.translation import gettext_lazy as _

from kawaltps.results.models import Submission
from kawaltps.training.models import Certificate, Enrolment, TestAttempt
from kawaltps.volunteers.models import Volunteer

if TYPE_CHECKING:  # numpy is loaded by wilson: fieldday registers its measures here at every start-up
    import numpy as np

SCORE_BANDS = [(0, 50, "< 50"), (50, 70, "50–69"), (70, 85, "70–84"), (85, 101, "85–100")]
DIMENSIONS = {"training": _("status pelatihan"), "score_band": _("nilai post-test"), "trainer": _("pelatih"),
              "ormas": _("ormas")}
TRAINING_LABELS = {"certified": _("tersertifikasi"), "trained": _("terlatih, belum tersertifikasi"),
                   "untrained": _("belum dilatih"), "unknown": _("bukan relawan terdaftar")}


def wilson(successes: np.ndarray, n: np.ndarray, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval (low, high) for each successes/n (n = 0 gives 0, 1); 0 successes give
    a low bound of exactly 0 and n successes a high bound of exactly 1 (as the formula does without
    rounding)."""
    z = NormalDist().inv_cdf(0.5 + confidence / 2)  # the standard library's; scipy is slow to import
    import numpy as np

    n = np.asarray(n, dtype=float)
    p = np.divide(successes, n, out=np.zeros_like(n), where=n > 0)
    denom = 1 + z * z / np.maximum(n, 1)
    centre = (p + z * z / (2 * np.maximum(n, 1))) / denom
    half = z * np.sqrt(p * (1 - p) / np.maximum(n, 1) + z * z / (4 * np.maximum(n, 1) ** 2)) / denom
    hits = np.asarray(successes, dtype=float)
    low = np.where((n > 0) & (hits > 0), centre - half, 0.0)
    high = np.where((n > 0) & (hits < n), centre + half, 1.0)
    return np.clip(low, 0.0, 1.0), np.clip(high, 0.0, 1.0)


def chasil_flagged(election, within: str = "") -> pl.DataFrame:
    """One row per saksi submission of ``election`` (TPS inside ``within``): hit = 1 when a check failed."""
    rows = (Submission.objects.filter(result__election=election, kind=Submission.Kind.SAKSI, entered_by__isnull=False,
                                      result__code__startswith=within)
            .values_list("entered_by_id", "flags"))
    frame = pl.DataFrame(list(rows), schema={"user_id": pl.Int64, "flags": pl.List(pl.String)}, orient="row")
    return frame.select("user_id", (pl.col("flags").list.len() > 0).cast(pl.Int8).alias("hit"))


MEASURES: dict[str, tuple[str, bool, Callable]] = {
    "chasil_flagged": (_("C.Hasil saksi yang gagal pemeriksaan"), False, chasil_flagged),
}


def saksi_frame(user_ids: list[int]) -> pl.DataFrame:
    """user_id, training, score_band, trainer, ormas for the given users (queries by set, not per saksi)."""
    vols = pl.DataFrame(list(Volunteer.objects.filter(user_id__in=user_ids)
                             .values_list("user_id", "id", "organisation__name")),
                        schema={"user_id": pl.Int64, "volunteer": pl.Int64, "ormas": pl.String}, orient="row")
    vids = vols["volunteer"].to_list()
    certified = set(Certificate.objects.filter(enrolment__volunteer_id__in=vids, revoked_at__isnull=True)
                    .values_list("enrolment__volunteer_id", flat=True))
    attended = pl.DataFrame(list(Enrolment.objects.filter(volunteer_id__in=vids, attended_at__isnull=False)
                                 .values_list("volunteer_id", "attended_at", "session__trainer__username")),
                            schema={"volunteer": pl.Int64, "at": pl.Datetime("us", "UTC"), "trainer": pl.String},
                            orient="row")
    trainer = attended.sort("at").group_by("volunteer").agg(pl.col("trainer").last())
    scores = pl.DataFrame(list(TestAttempt.objects.filter(enrolment__volunteer_id__in=vids, kind=TestAttempt.Kind.POST,
                                                          submitted_at__isnull=False)
                               .values_list("enrolment__volunteer_id", "score")),
                          schema={"volunteer": pl.Int64, "score": pl.Float64}, orient="row")
    best = scores.group_by("volunteer").agg(pl.col("score").max())
    band = pl.lit("tanpa post-test")
    for lo, hi, label in reversed(SCORE_BANDS):
        band = pl.when((pl.col("score") >= lo) & (pl.col("score") < hi)).then(pl.lit(label)).otherwise(band)
    frame = (pl.DataFrame({"user_id": user_ids}, schema={"user_id": pl.Int64})
             .join(vols, on="user_id", how="left").join(trainer, on="volunteer", how="left")
             .join(best, on="volunteer", how="left"))
    return frame.with_columns(
        pl.when(pl.col("volunteer").is_null()).then(pl.lit("unknown"))
        .when(pl.col("volunteer").is_in(list(certified))).then(pl.lit("certified"))
        .when(pl.col("volunteer").is_in(attended["volunteer"].unique().to_list())).then(pl.lit("trained"))
        .otherwise(pl.lit("untrained")).alias("training"),
        band.alias("score_band"), pl.col("trainer").fill_null("(tanpa pelatih)"),
        pl.col("ormas").fill_null("(tanpa ormas)"))


def effectiveness(election, measures: list[str] | None = None, confidence: float = 0.95, within: str = "") -> dict:
    """{measure: {"label", "observations", "saksi", dimension: [rows of key, n, saksi, rate, low, high]}}
    (rate = share of observations that are hits, with its Wilson interval)."""
    out = {}
    for name in measures or list(MEASURES):
        label, higher_is_better, fn = MEASURES[name]
        obs = fn(election, within)
        result = {"label": label, "higher_is_better": higher_is_better, "observations": obs.height,
                  "saksi": obs["user_id"].n_unique(), "confidence": confidence}
        if obs.height:
            people = saksi_frame(obs["user_id"].unique().to_list())
            joined = obs.join(people, on="user_id", how="left")
            for dim in DIMENSIONS:
                g = (joined.group_by(dim).agg(pl.len().alias("n"), pl.col("hit").sum().alias("ok"),
                                              pl.col("user_id").n_unique().alias("saksi")).sort(dim))
                low, high = wilson(g["ok"].to_numpy(), g["n"].to_numpy(), confidence)
                result[dim] = [{"key": k, "label": TRAINING_LABELS.get(k, k) if dim == "training" else k,
                                "n": int(n), "saksi": int(s), "rate": ok / n if n else None,
                                "low": float(lo), "high": float(hi)}
                               for (k, n, ok, s), lo, hi in zip(g.select(dim, "n", "ok", "saksi").iter_rows(),
                                                               low, high, strict=True)]
        else:
            result.update({dim: [] for dim in DIMENSIONS})
        out[name] = result
    return out
