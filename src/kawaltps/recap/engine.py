"""The discrepancy engine: every vote that changes on the way up, found with whole-frame operations.

Frames (Polars): a *votes frame* has a ``code`` column (Utf8) and one Int64 column per paslon,
named ``c<number>`` (``c1``, ``c2``, ...). A row whose paslon columns hold a null is "no numbers
yet" and is not compared.

Steps, each one join (never a loop per TPS):

1. ``tps_sirekap``: our C.Hasil (witness, state verified/final, optionally entered) against the
   official per-TPS numbers (``TpsResult`` source official = the latest Sirekap version), per TPS.
2. ``tps_kecamatan``: Sirekap's per-TPS numbers summed by kecamatan (code prefix of 6) against the
   kecamatan D.Hasil ("Sirekap sum").
2b. ``tps_kecamatan_saksi``: *our saksi's* C.Hasil summed by kecamatan against the kecamatan D.Hasil,
   only where our coverage is complete (every TPS of the kecamatan has our numbers). This is the
   PPK's own question (the plenary recaps the physical C.Hasil, PKPU 18/2024): an OCR error of
   Sirekap that the PPK corrected is not a finding here, and a change made in both Sirekap and the
   D.Hasil is.
3. ``kecamatan_kabkota``: kecamatan D.Hasil summed by kabupaten/kota (prefix 4) against its D.Hasil.
4. ``kabkota_provinsi``: kabupaten/kota D.Hasil summed by provinsi (prefix 2) against its D.Hasil.
5. ``sirekap_changed``: a Sirekap version whose votes differ from the previous version with votes
   (ordered by Sirekap's ``ts``, then fetch time) — a number changed after publication. Each is
   judged against our C.Hasil (``verdict``): ``towards`` (the later version is closer to our form:
   a correction), ``away`` (further from it), ``sideways`` (as far), ``no_form`` (no C.Hasil of
   ours: suspicious), ``psu`` (the later version is a re-vote's result: a second legitimate round).

For steps 2–4 a parent is compared only when every child it should contain has numbers (the
``expected`` frame, ``code`` → ``n_expected``); otherwise a missing child would look like stolen
votes. Parents skipped that way are counted in the summary.

For each difference: ``delta[n] = upper − lower`` (official minus ours; later minus earlier for
step 5). ``votes_moved = max(Σ positive deltas, Σ |negative deltas|)``: votes shifted from one
paslon to another count once (it equals Σ|Δ|/2 when the total is unchanged), and votes that were
only added or only removed count fully. ``gained`` is the paslon with the largest positive delta.
"""

from __future__ import annotations

import polars as pl

STEPS = (
    "tps_sirekap",
    "tps_kecamatan",
    "tps_kecamatan_saksi",
    "kecamatan_kabkota",
    "kabkota_provinsi",
    "sirekap_changed",
)
PARENT_LENGTH = {"tps_kecamatan": 6, "tps_kecamatan_saksi": 6, "kecamatan_kabkota": 4, "kabkota_provinsi": 2}
VERDICTS = ("towards", "away", "sideways", "no_form", "psu")


def cols(numbers: list[int], prefix: str = "c") -> list[str]:
    return [f"{prefix}{n}" for n in numbers]


def votes_frame(codes: list[str], votes: list[dict], numbers: list[int]) -> pl.DataFrame:
    """Build a votes frame from ``{"1": n, ...}`` dicts (small inputs: tests, forms)."""
    data: dict[str, list] = {"code": list(codes)}
    for n in numbers:
        data[f"c{n}"] = [v.get(str(n)) if v else None for v in votes]
    return pl.DataFrame(data, schema={"code": pl.Utf8, **{c: pl.Int64 for c in cols(numbers)}})


def _clean(frame: pl.DataFrame, numbers: list[int]) -> pl.DataFrame:
    c = cols(numbers)
    return frame.select([pl.col("code").cast(pl.Utf8), *[pl.col(x).cast(pl.Int64) for x in c]]).drop_nulls(c)


def _findings(joined: pl.DataFrame, step: str, numbers: list[int], extra: list[str] = ()) -> pl.DataFrame:
    """From a frame with ``code``, ``o<n>`` (lower/ours) and ``u<n>`` (upper/official): the rows that differ."""
    d = cols(numbers, "d")
    out = joined.with_columns([(pl.col(f"u{n}") - pl.col(f"o{n}")).alias(f"d{n}") for n in numbers])
    out = out.filter(pl.any_horizontal([pl.col(x) != 0 for x in d]))
    gains = pl.sum_horizontal([pl.col(x).clip(lower_bound=0) for x in d])
    losses = pl.sum_horizontal([(-pl.col(x)).clip(lower_bound=0) for x in d])
    top = pl.max_horizontal([pl.col(x) for x in d])
    # the paslon with the largest positive delta (lowest number on ties); null when nobody gained
    gained = pl.coalesce([pl.when((top > 0) & (pl.col(f"d{n}") == top)).then(pl.lit(n, pl.Int64)) for n in numbers])
    out = out.with_columns(
        pl.lit(step).alias("step"),
        pl.max_horizontal(gains, losses).alias("votes_moved"),
        gained.alias("gained"),
    )
    keep = ["step", "code", *d, *cols(numbers, "o"), *cols(numbers, "u"), "votes_moved", "gained", *extra]
    return out.select(keep)


def _pair(lower: pl.DataFrame, upper: pl.DataFrame, numbers: list[int]) -> pl.DataFrame:
    lo = lower.rename({f"c{n}": f"o{n}" for n in numbers})
    up = upper.rename({f"c{n}": f"u{n}" for n in numbers})
    return lo.join(up, on="code", how="inner")


def compare_tps(ours: pl.DataFrame, official: pl.DataFrame, numbers: list[int]) -> pl.DataFrame:
    """Step 1: per TPS, official minus ours, for TPS that have numbers on both sides."""
    return compare_paired(_pair(_clean(ours, numbers), _clean(official, numbers), numbers), numbers)


def compare_paired(paired: pl.DataFrame, numbers: list[int]) -> pl.DataFrame:
    """Step 1 on TPS already paired (``code``, ours ``o<n>``, official ``u<n>``, no nulls): a caller that
    read both sources joined by the database (:mod:`recap.tps_rows`) needs no second join."""
    return _findings(paired, "tps_sirekap", numbers)


def compare_sum(
    children: pl.DataFrame, parents: pl.DataFrame, numbers: list[int], step: str, expected: pl.DataFrame | None = None
) -> tuple[pl.DataFrame, int]:
    """Steps 2–4: children summed by the parent's code prefix against the parent's own numbers.

    Returns (findings, parents skipped because a child had no numbers). ``n_children`` in the
    findings says how many children were added up.
    """
    n = PARENT_LENGTH[step]
    c = cols(numbers)
    sums = (
        _clean(children, numbers)
        .group_by(pl.col("code").str.slice(0, n).alias("code"))
        .agg([pl.col(x).sum() for x in c] + [pl.len().alias("n_children")])
    )
    parents = _clean(parents, numbers).filter(pl.col("code").str.len_chars() == n)
    skipped = 0
    if expected is not None:
        exp = expected.select(pl.col("code").cast(pl.Utf8), pl.col("n_expected").cast(pl.UInt32))
        checked = sums.join(exp, on="code", how="left")
        complete = checked.filter(pl.col("n_expected").is_null() | (pl.col("n_children") >= pl.col("n_expected")))
        skipped = parents.join(complete.select("code"), on="code", how="anti").height
        sums = complete.drop("n_expected")
    joined = _pair(sums, parents, numbers)
    return _findings(joined, step, numbers, extra=["n_children"]), skipped


def sirekap_changes(snapshots: pl.DataFrame, numbers: list[int], ours: pl.DataFrame | None = None) -> pl.DataFrame:
    """Step 5: ``snapshots`` has ``code``, ``seq`` (any sortable) and the paslon columns, one row a version
    (and optionally ``version``, an id of the version, kept on the finding: the later version's; and
    ``psu``, true for a re-vote's result). ``ours`` (a votes frame of our C.Hasil) gives each change its
    ``verdict``: distance = Σ|version − ours| over paslon; later closer → ``towards``, further →
    ``away``, equal → ``sideways``; no C.Hasil → ``no_form``; a re-vote's first result → ``psu``."""
    c = cols(numbers)
    s = snapshots.drop_nulls(c).sort(["code", "seq"], maintain_order=True)
    if "psu" not in s.columns:
        s = s.with_columns(pl.lit(False).alias("psu"))
    prev = [pl.col(x).shift(1).over("code").alias(f"o{x[1:]}") for x in c]
    s = s.with_columns(
        *prev,
        pl.col("seq").shift(1).over("code").alias("seq_before"),
        pl.col("psu").shift(1).over("code").alias("psu_before"),
    )
    s = s.drop_nulls(cols(numbers, "o")).rename({f"c{n}": f"u{n}" for n in numbers})
    w = ours if ours is not None else pl.DataFrame(schema={"code": pl.Utf8, **{x: pl.Int64 for x in c}})
    w = _clean(w, numbers).rename({x: f"w{x[1:]}" for x in c})
    s = s.join(w, on="code", how="left")
    before = pl.sum_horizontal([(pl.col(f"o{n}") - pl.col(f"w{n}")).abs() for n in numbers])
    after = pl.sum_horizontal([(pl.col(f"u{n}") - pl.col(f"w{n}")).abs() for n in numbers])
    verdict = (
        pl.when(pl.col("psu") & ~pl.col("psu_before").fill_null(False))
        .then(pl.lit("psu"))
        .when(pl.col(f"w{numbers[0]}").is_null())
        .then(pl.lit("no_form"))
        .when(after < before)
        .then(pl.lit("towards"))
        .when(after > before)
        .then(pl.lit("away"))
        .otherwise(pl.lit("sideways"))
    )
    s = s.with_columns(verdict.alias("verdict"))
    extra = ["seq", "seq_before", "verdict", *(["version"] if "version" in s.columns else [])]
    return _findings(s, "sirekap_changed", numbers, extra=extra)


NOT_COMPARED_REASONS = (
    "no_numbers",
    "no_official",
    "no_witness",
    "witness_entered",
    "witness_disputed",
    "witness_unverified",
    "witness_incomplete",
)


def not_compared(
    tps: pl.DataFrame, witness: pl.DataFrame, official: pl.DataFrame, numbers: list[int], compared_states
) -> dict[str, int]:
    """Step 1's TPS that were not compared, counted by the first reason that applies
    (:data:`NOT_COMPARED_REASONS` order): no numbers on either side, no official numbers, no witness
    numbers, witness only entered (``--include-entered`` compares them), disputed, not yet entered,
    witness numbers missing a paslon. ``tps``: ``code`` of every TPS; ``witness``: votes frame with a
    ``state`` column (every state); ``official``: votes frame. Also ``tps`` (all) and ``compared``."""
    c = cols(numbers)
    w = witness.select(
        pl.col("code"),
        pl.col("state"),
        pl.all_horizontal([pl.col(x).is_not_null() for x in c]).alias("complete"),
    )
    o = _clean(official, numbers).select(pl.col("code"), pl.lit(True).alias("has_official"))
    t = tps.select(pl.col("code").cast(pl.Utf8)).join(w, on="code", how="left").join(o, on="code", how="left")
    return not_compared_counts(t.with_columns(pl.col("has_official").fill_null(False)), compared_states)


def not_compared_counts(t: pl.DataFrame, compared_states) -> dict[str, int]:
    """:func:`not_compared` on one row per TPS of the register already joined to both sources:
    ``state`` (our result's, null when none), ``complete`` (every paslon has a number) and
    ``has_official`` (Sirekap has complete numbers)."""
    has_o, has_w = pl.col("has_official"), pl.col("state").is_not_null()
    state = pl.col("state")
    reason = (
        pl.when(~has_o & ~has_w)
        .then(pl.lit("no_numbers"))
        .when(~has_o)
        .then(pl.lit("no_official"))
        .when(~has_w)
        .then(pl.lit("no_witness"))
        .when(~state.is_in(list(compared_states)) & (state == "entered"))
        .then(pl.lit("witness_entered"))
        .when(~state.is_in(list(compared_states)) & (state == "disputed"))
        .then(pl.lit("witness_disputed"))
        .when(~state.is_in(list(compared_states)))
        .then(pl.lit("witness_unverified"))
        .when(~pl.col("complete"))
        .then(pl.lit("witness_incomplete"))
        .otherwise(pl.lit(None, pl.Utf8))
    )
    counts = t.select(reason.alias("reason")).group_by("reason").agg(pl.len().alias("n"))
    by = {r: n for r, n in counts.iter_rows() if r is not None}
    out = {r: by.get(r, 0) for r in NOT_COMPARED_REASONS}
    out["tps"] = t.height
    out["compared"] = t.height - sum(by.values())
    return out


def find_all(
    numbers: list[int],
    *,
    witness: pl.DataFrame | None = None,
    official: pl.DataFrame | None = None,
    dhasil: dict[str, pl.DataFrame] | None = None,
    expected: dict[str, pl.DataFrame] | None = None,
    snapshots: pl.DataFrame | None = None,
    paired: pl.DataFrame | None = None,
) -> tuple[dict[str, pl.DataFrame], dict]:
    """Run every step whose inputs are given. ``dhasil``/``expected`` are keyed by tier
    (``kecamatan``, ``kabkota``, ``provinsi``). ``tps_kecamatan_saksi`` runs on ``witness`` with the
    same completeness rule as ``tps_kecamatan`` (every TPS of the kecamatan has our numbers).
    ``paired``: step 1's pairs when the caller has them (:func:`compare_paired`).
    Returns ({step: findings}, summary)."""
    dhasil, expected = dhasil or {}, expected or {}
    found: dict[str, pl.DataFrame] = {}
    summary: dict = {"skipped_incomplete": {}}
    if paired is not None:
        found["tps_sirekap"] = compare_paired(paired, numbers)
    elif witness is not None and official is not None:
        found["tps_sirekap"] = compare_tps(witness, official, numbers)
    chain = [
        ("tps_kecamatan", official, "kecamatan"),
        ("tps_kecamatan_saksi", witness, "kecamatan"),
        ("kecamatan_kabkota", dhasil.get("kecamatan"), "kabkota"),
        ("kabkota_provinsi", dhasil.get("kabkota"), "provinsi"),
    ]
    for step, children, tier in chain:
        if children is not None and dhasil.get(tier) is not None:
            found[step], skipped = compare_sum(children, dhasil[tier], numbers, step, expected.get(tier))
            summary["skipped_incomplete"][step] = skipped
    if snapshots is not None:
        found["sirekap_changed"] = sirekap_changes(snapshots, numbers, witness)
    summary["counts"] = {k: v.height for k, v in found.items()}
    return found, summary


DETAIL_COLUMNS = (
    "n_children",
    "seq",
    "seq_before",
    "version",
    "verdict",
    "impact_line",
    "impact_margin",
    "voters_lower",
    "voters_upper",
    "invalid_lower",
    "invalid_upper",
)


def as_records(findings: pl.DataFrame, numbers: list[int]) -> list[dict]:
    """Findings → plain dicts ``{step, code, deltas, ours, official, votes_moved, gained, detail}``."""
    out = []
    extra = [c for c in findings.columns if c in DETAIL_COLUMNS]
    for row in findings.iter_rows(named=True):
        out.append(
            {
                "step": row["step"],
                "code": row["code"],
                "deltas": {str(n): row[f"d{n}"] for n in numbers},
                "ours": {str(n): row[f"o{n}"] for n in numbers},
                "official": {str(n): row[f"u{n}"] for n in numbers},
                "votes_moved": row["votes_moved"],
                "gained": row["gained"],
                "detail": {k: (str(row[k]) if k.startswith("seq") else row[k]) for k in extra},
            }
        )
    return out
