"""The gain from pre-test to post-test, by session, trainer, ormas and module (Polars, vectorised).

Only enrolments with both a submitted pre-test and a submitted post-test count towards the gain;
the pass rate is over all submitted post-tests. Flags (``scoring.gain_flags``) mark where training
does not work: a negative or low mean gain, or a low pass rate.
"""

import polars as pl
from django.db.models import TextField
from django.db.models.functions import Cast

from .models import Module, TestAttempt
from .scoring import gain_flags

DIMENSIONS = {
    "session": "per sesi",
    "trainer": "per pelatih",
    "organisation": "per ormas",
    "module": "per modul",
}


def attempts_frame(sessions_qs) -> tuple[pl.DataFrame, pl.Series]:
    """One row per submitted attempt of the given sessions (labels of every dimension), and their
    per-module scores in the same order as JSON text.

    Two queries (attempts, and the sessions' labels joined here); the module scores come as text
    and are decoded by Polars in one pass against the modules' codes (decoding 38,000 JSON values
    one by one in Python was most of the page's time).
    """
    rows = list(TestAttempt.objects.filter(enrolment__session__in=sessions_qs, submitted_at__isnull=False)
                .annotate(module_text=Cast("module_scores", TextField()))
                .values_list("enrolment_id", "kind", "score", "passed", "enrolment__session_id", "module_text"))
    schema = {"enrolment": pl.Int64, "kind": pl.Utf8, "score": pl.Float64, "passed": pl.Boolean,
              "session": pl.Int64, "modules": pl.Utf8}
    labels = pl.DataFrame(list(sessions_qs.values_list("pk", "trainer__username", "organisation__name")),
                          schema={"session": pl.Int64, "trainer": pl.Utf8, "organisation": pl.Utf8}, orient="row")
    frame = pl.DataFrame(rows, schema=schema, orient="row").join(labels, on="session", how="left")
    frame = frame.with_columns(pl.col("organisation").fill_null("(tanpa ormas)"))
    return frame.drop("modules"), frame["modules"].fill_null("{}")


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


def module_frame(frame: pl.DataFrame, module_scores: pl.Series) -> pl.DataFrame:
    """Long form: one row per (attempt, module) with the module score (JSON decoded vectorised)."""
    base = frame.select("enrolment", "kind")
    empty = base.with_columns(pl.lit(None, dtype=pl.Utf8).alias("module"),
                              pl.lit(None, dtype=pl.Float64).alias("score")).clear()
    if module_scores.is_empty() or (module_scores == "{}").all():
        return empty
    codes = list(Module.objects.order_by("code").values_list("code", flat=True))
    decoded = module_scores.str.json_decode(pl.Struct({c: pl.Float64 for c in codes}))
    wide = pl.concat([base, decoded.struct.unnest().cast(pl.Float64)], how="horizontal")
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


def labelled(sessions_qs) -> dict[str, list[dict]]:
    """:func:`gains` with a ``label`` on every row: the session's title, the trainer's name, the
    module's title, the ormas's name (three small queries, never one per row)."""
    from kawaltps.people.models import User

    result = gains(sessions_qs)
    titles = dict(sessions_qs.filter(pk__in=[r["key"] for r in result["session"]]).values_list("pk", "title"))
    for row in result["session"]:
        row["label"] = titles.get(row["key"]) or f"Sesi {row['key']}"
    modules = dict(Module.objects.values_list("code", "title"))
    for row in result["module"]:
        row["label"] = modules.get(row["key"], row["key"])
    names = {u.username: u.get_full_name() or u.username
             for u in User.objects.filter(username__in=[r["key"] for r in result["trainer"]])}
    for row in result["trainer"]:
        row["label"] = names.get(row["key"], row["key"])
    for row in result["organisation"]:
        row["label"] = row["key"]
    for rows in result.values():
        for row in rows:
            row["pass_pct"] = None if row["pass_rate"] is None else row["pass_rate"] * 100
    return result


CSV_HEADER = ["dimensi", "nama", "peserta_pre_post", "rata_pre", "rata_post", "kenaikan", "peserta_post",
              "lulus_persen", "catatan"]


def csv_rows(result: dict[str, list[dict]]):
    """The gains as spreadsheet rows (numbers rounded to one decimal; flags in words)."""
    from django.utils.translation import gettext

    yield CSV_HEADER
    for dim, title in DIMENSIONS.items():
        for r in result[dim]:
            yield [title, r["label"], r["n"], _round(r["pre"]), _round(r["post"]), _round(r["gain"]), r["post_n"],
                   _round(r["pass_rate"] * 100) if r["pass_rate"] is not None else None,
                   "; ".join(gettext(f) for f in r["flags"])]


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 1)
