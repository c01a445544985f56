"""Our documented CSV: one row per TPS, real Kemendagri codes (see docs/results-loading.md).

Header (case-insensitive, any order; UTF-8, comma-separated, .csv or .csv.gz):

    kode_tps   13 digits (dots allowed: 31.75.08.1001.001); its kelurahan must be loaded
    dpt_l, dpt_p                       optional: DPT men / women (create or describe the TPS)
    p1..pN  or  paslon_1..paslon_N     votes per paslon, numbered as on the ballot
    sah, tidak_sah, total              valid, invalid, total votes (also suara_sah, suara_tidak_sah,
                                       suara_total)
    pengguna_hak_pilih                 optional: voters who used their right (B.4 J)

A row whose vote cells are all empty creates its TPS only; a row with some of them empty, a
negative number, a non-integer or a bad/unknown code is rejected with its reason. ``--source``
says whose numbers these are (default ``witness``). A new election gets the candidates
"Paslon 1" … "Paslon N" (rename them in the admin).
"""

import datetime
import re

import polars as pl
from django.core.management.base import CommandError

from .base import Batch, ElectionSpec, Report, coded_tps, drop_rows, negative_reasons, parse_source, read_csv, to_int

ALIASES = {"suara_sah": "sah", "suara_tidak_sah": "tidak_sah", "suara_total": "total", "jumlah": "total"}
VOTE = re.compile(r"^(?:p|paslon_?)([0-9]{1,2})$")


def _header(path) -> list[str]:
    cols = read_csv(path, n_rows=1).columns
    return [ALIASES.get(c.strip().lower(), c.strip().lower()) for c in cols]


def _candidates(cols: list[str]) -> dict[str, int]:
    found = {c: int(m.group(1)) for c in cols if (m := VOTE.match(c))}
    if not found:
        raise CommandError("kolom suara paslon tidak ada: beri nama p1..pN atau paslon_1..paslon_N")
    numbers = sorted(found.values())
    if numbers != list(range(1, len(numbers) + 1)):
        raise CommandError(f"nomor paslon harus berurutan dari 1: {numbers}")
    return found


def election_spec(path, slug: str) -> ElectionSpec:
    n = len(_candidates(_header(path)))
    return ElectionSpec(name=slug, kind="pilkada_gubernur", date=datetime.date.today(), form_type="C.HASIL-KWK",
                        max_dpt_per_tps=600, candidates=[(i, f"Paslon {i}") for i in range(1, n + 1)])


def parse(path, source: str | None, report: Report, election=None) -> Batch:
    source = parse_source(source, "witness")
    df = read_csv(path)
    df = df.rename({c: n for c, n in zip(df.columns, _header(path), strict=True)})
    missing = [c for c in ("kode_tps", "sah", "tidak_sah", "total") if c not in df.columns]
    if missing:
        raise CommandError(f"kolom wajib tidak ada: {', '.join(missing)}")
    votes = _candidates(df.columns)
    if election is not None:
        have = set(election.candidates.values_list("number", flat=True))
        unknown = sorted(set(votes.values()) - have)
        if unknown:
            raise CommandError(f"paslon nomor {unknown} tidak ada di pemilihan {election.slug}")
    df = df.with_row_index("row", offset=2).with_columns(pl.col("row").cast(pl.Int64))
    report.rows = df.height
    for c in ("dpt_l", "dpt_p", "pengguna_hak_pilih"):
        if c not in df.columns:
            df = df.with_columns(pl.lit(None, pl.String).alias(c))
    numeric = [*votes, "sah", "tidak_sah", "total", "dpt_l", "dpt_p", "pengguna_hak_pilih"]
    df = to_int(df, numeric, report)
    df = drop_rows(df, negative_reasons(df, {c: c for c in numeric}), report)
    df = coded_tps(df, "kode_tps", report)
    result_cols = [*votes, "sah", "tidak_sah", "total"]
    all_set = pl.all_horizontal(pl.col(result_cols).is_not_null())
    none_set = pl.all_horizontal(pl.col(result_cols).is_null())
    df = drop_rows(df, df.filter(~all_set & ~none_set).select(
        "row", pl.lit("isian tidak lengkap: suara paslon, sah, tidak_sah dan total harus terisi semua")
        .alias("reason")), report)
    tps = df.select("row", "code", "kel_code", "number", pl.col("dpt_l").fill_null(0), pl.col("dpt_p").fill_null(0))
    have = df.filter(all_set)
    dpt_j = pl.col("dpt_l") + pl.col("dpt_p")  # null when either is empty
    results = have.select(
        "row", "code", pl.lit(source).alias("source"), pl.col("sah").alias("valid"),
        pl.col("tidak_sah").alias("invalid"), pl.col("total"), pl.col("pengguna_hak_pilih").alias("voters"),
        "dpt_l", "dpt_p", dpt_j.alias("dpt_j"), pl.col("sah").alias("suara_sah"),
        pl.col("tidak_sah").alias("suara_tidak_sah"), pl.col("total").alias("suara_total"),
        pl.col("pengguna_hak_pilih").alias("pengguna_total_j"),
        *[pl.col(c).alias(f"v{n}") for c, n in votes.items()])
    return Batch(tps=tps, results=results, candidates=sorted(votes.values()),
                 number_keys=["dpt_l", "dpt_p", "dpt_j", "suara_sah", "suara_tidak_sah", "suara_total",
                              "pengguna_total_j"])
