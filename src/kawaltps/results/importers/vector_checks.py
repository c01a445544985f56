"""The rules of :mod:`kawaltps.results.checks`, as Polars expressions over a whole file at once.

``run_checks`` costs tens of microseconds per TPS, i.e. about a minute for the 1.6 million results
of the 2019 file, which would break the 90-second load. This module states the very same rules
(same codes, same order, same "missing input passes") column-wise. ``tests/results/
test_import_checks.py`` runs both on real and crafted rows and requires identical flags; if
``checks.RULES`` gains a rule this module does not know, :func:`flag_codes` returns None and the
loader falls back to ``run_checks`` per row (correct, only slower).

Input frame: one column per form key present (``dpt_l`` … ``suara_total``, missing keys absent or
null), ``v<n>`` per paslon, and ``registered_dpt`` (the TPS's DPT, 0 = unknown).
"""

import polars as pl

from kawaltps.results.checks import LPJ_ROWS, RULES


def _c(df_cols: set[str], key: str) -> pl.Expr:
    return pl.col(key) if key in df_cols else pl.lit(None, pl.Int64)


def _all_present(cols, *keys) -> pl.Expr:
    return pl.all_horizontal([_c(cols, k).is_not_null() for k in keys])


def _rules(cols: set[str], votes: list[str], max_dpt: int) -> dict[str, pl.Expr]:
    g = lambda k: _c(cols, k)  # noqa: E731
    any_vote = pl.any_horizontal([pl.col(v).is_not_null() for v in votes]) if votes else pl.lit(False)
    vote_sum = pl.sum_horizontal([pl.col(v) for v in votes]) if votes else pl.lit(0)
    rules = {
        "paslon_tidak_sama_sah": g("suara_sah").is_not_null() & any_vote & (vote_sum != g("suara_sah")),
        "sah_tidak_sah_total": _all_present(cols, "suara_sah", "suara_tidak_sah", "suara_total")
        & (g("suara_sah") + g("suara_tidak_sah") != g("suara_total")),
        "suara_tidak_sama_pemilih": _all_present(cols, "suara_total", "pengguna_total_j")
        & (g("suara_total") != g("pengguna_total_j")),
        "pengguna_tidak_seimbang": pl.any_horizontal([
            _all_present(cols, f"pengguna_dpt_{x}", f"pengguna_dptb_{x}", f"pengguna_dpk_{x}", f"pengguna_total_{x}")
            & (g(f"pengguna_dpt_{x}") + g(f"pengguna_dptb_{x}") + g(f"pengguna_dpk_{x}") != g(f"pengguna_total_{x}"))
            for x in "lpj"]),
        "pemilih_melebihi_daftar": pl.any_horizontal(
            [_all_present(cols, f"pengguna_dpt_{x}", f"dpt_{x}") & (g(f"pengguna_dpt_{x}") > g(f"dpt_{x}"))
             for x in "lpj"]
            + [_all_present(cols, "pengguna_total_j", "dpt_j")
               & (g("pengguna_total_j") > g("dpt_j") + g("pengguna_dptb_j").fill_null(0)
                  + g("pengguna_dpk_j").fill_null(0))]),
        "surat_digunakan_tidak_sama": _all_present(cols, "surat_digunakan", "pengguna_total_j")
        & (g("surat_digunakan") != g("pengguna_total_j")),
        "surat_tidak_seimbang": _all_present(cols, "surat_diterima", "surat_digunakan", "surat_rusak",
                                             "surat_tidak_digunakan")
        & (g("surat_diterima") != g("surat_digunakan") + g("surat_rusak") + g("surat_tidak_digunakan")),
        "dpt_melebihi_batas": g("dpt_j").is_not_null() & (g("dpt_j") > max_dpt),
        "dpt_beda_daftar": g("dpt_j").is_not_null() & (pl.col("registered_dpt").fill_null(0) != 0)
        & (g("dpt_j") != pl.col("registered_dpt")),
        "lpj_tidak_seimbang": pl.any_horizontal([
            _all_present(cols, f"{r}_l", f"{r}_p", f"{r}_j") & (g(f"{r}_l") + g(f"{r}_p") != g(f"{r}_j"))
            for r in LPJ_ROWS]),
    }
    numeric = [c for c in cols if c not in {"registered_dpt"}]
    rules["angka_mustahil"] = pl.any_horizontal([((pl.col(c) < 0) | (pl.col(c) > 2 * max_dpt)).fill_null(False)
                                                 for c in numeric]) if numeric else pl.lit(False)
    return {k: v.fill_null(False) for k, v in rules.items()}


def covers_all() -> bool:
    """True when every rule of ``checks.RULES`` is stated here (else :func:`flag_codes` returns None)."""
    return all(rule.code in _rules(set(), [], 0) for rule in RULES)


def flag_codes(frame: pl.DataFrame, form_keys: list[str], votes: list[str], max_dpt: int) -> pl.Series | None:
    """A list[str] Series of failing rule codes per row (RULES order), or None if a rule is unknown here."""
    cols = {k for k in form_keys if k in frame.columns} | set(votes)
    rules = _rules(cols, votes, max_dpt)
    if any(rule.code not in rules for rule in RULES):
        return None
    exprs = [pl.when(rules[rule.code]).then(pl.lit(rule.code)) for rule in RULES]
    present = [k for k in form_keys if k in frame.columns]
    return frame.select(*present, *votes, "registered_dpt").select(
        pl.concat_list(exprs).list.drop_nulls().alias("flags")).to_series()
