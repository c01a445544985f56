"""The gain from pre-test to post-test, by session, trainer, ormas and module (Polars, vectorised).

Only enrolments with both a submitted pre-test and a submitted post-test count towards the gain;
the pass rate is over all submitted post-tests. Flags (``scoring.gain_flags``) mark where training
does not work: a negative or low mean gain, or a low pass rate.
"""

import polars as pl

from .models import TestAttempt
from .scoring import gain_flags

DIMENSIONS = {
    "session": "per sesi",
    "trainer": "per pelatih",
    "organisation": "per ormas",
    "module": "per modul",
}


def attempts_frame(sessions_qs) -> tuple[pl.DataFrame, list[dict]]:
    """One row per submitted attempt of the given sessions (labels of every dimension), and their
    per-module scores in the same order."""
    rows = list(TestAttempt.objects.filter(enrolment__session__in=sessions_qs, submitted_at__isnull=False)
                .values_list("enrolment_id", "kind", "score", "passed", "enrolment__session_id",
                             "enrolment__session__trainer__username",
                             "enrolment__session__organisation__name", "module_scores"))
    schema = {"enrolment": pl.Int64, "kind": pl.Utf8, "score": pl.Float64, "passed": pl.Boolean,
              "session": pl.Int64, "trainer": pl.Utf8, "organisation": pl.Utf8}
    frame = pl.DataFrame([r[:7] for r in rows], schema=schema, orient="row")
    frame = frame.with_columns(pl.col("organisation").fill_null("(tanpa ormas)"))
    return frame, [r[7] or {} for r in rows]


def _paired(pre: pl.DataFrame, post: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    return pre.join(post, on=keys, how="full", coalesce=True)


def _summarise(paired: pl.DataFrame, by: str) -> list[dict]:
    both = pl.col("pre").is_not_null() & pl.col("post").is_not_null()
    out = (paired.group_by(by).agg(
        pl.col("pre").filter(both).mean().alias("pre"),
        pl.col("post").filter(both).mean().alias("post"),
        (pl.col("post") - pl.col("pre")).filter(both).mean().alias("gain"),
        both.sum().alias("n"),
        pl.col("post").is_not_null().sum().alias("post_n"),
        pl.col("passed").cast(pl.Float64).mean().alias("pass_rate"),
    ).sort(["gain", by], nulls_last=True))
    rows = out.to_dicts()
    for r in rows:
        r["key"] = r.pop(by)
        r["flags"] = gain_flags(r["gain"], r["pass_rate"], r["n"])
    return rows


def _split(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    pre = frame.filter(pl.col("kind") == "pre").select([*keys, pl.col("score").alias("pre")])
    post = frame.filter(pl.col("kind") == "post").select(
        [*keys, pl.col("score").alias("post"), pl.col("passed") if "passed" in frame.columns
         else pl.lit(None, dtype=pl.Boolean).alias("passed")])
    return _paired(pre, post, keys)


def module_frame(frame: pl.DataFrame, module_scores: list[dict]) -> pl.DataFrame:
    """Long form: one row per (attempt, module) with the module score."""
    base = frame.select("enrolment", "kind")
    if not any(module_scores):
        return base.with_columns(pl.lit(None, dtype=pl.Utf8).alias("module"),
                                 pl.lit(None, dtype=pl.Float64).alias("score")).clear()
    wide = pl.concat([base, pl.DataFrame(module_scores).cast(pl.Float64)], how="horizontal")
    return (wide.unpivot(index=["enrolment", "kind"], variable_name="module", value_name="score")
            .drop_nulls("score"))


def gains(sessions_qs) -> dict[str, list[dict]]:
    """{dimension: rows of key, pre, post, gain, n, post_n, pass_rate, flags}, worst gain first."""
    frame, module_scores = attempts_frame(sessions_qs)
    if frame.is_empty():
        return {d: [] for d in DIMENSIONS}
    paired = _split(frame, ["enrolment", "session", "trainer", "organisation"])
    result = {d: _summarise(paired, d) for d in ("session", "trainer", "organisation")}
    per_module = _split(module_frame(frame, module_scores), ["enrolment", "module"])
    result["module"] = _summarise(per_module, "module")
    return result
