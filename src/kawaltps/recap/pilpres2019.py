"""Engine frames straight from the 2019 KawalPemilu extract (``pilpres2019_tps.csv.gz``), for the
real-data test and the benchmark, without the database.

``kp_pas1/2`` are KawalPemilu's crowd-checked numbers (ours, witness), ``kpu_pas1/2`` KPU's
(official). The file carries KawalPemilu's own numeric region ids, not Kemendagri codes, so each
TPS gets a synthetic 13-character code with the usual prefix widths (2/4/6/10/13): each level is
the ordinal of its id among its siblings written in base 36 (``0-9A-Z``), which fits every level
of the file (at most 130 kab/kota "countries" abroad, 2,553 TPS in one kelurahan).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
INTS = ["prov_id", "kab_id", "kec_id", "kel_id", "tps", "kp_pas1", "kp_pas2", "kpu_pas1", "kpu_pas2"]


def base36(expr: pl.Expr, width: int) -> pl.Expr:
    parts = [
        ((expr // (36**k)) % 36).replace_strict(list(range(36)), list(DIGITS), return_dtype=pl.String)
        for k in reversed(range(width))
    ]
    return pl.concat_str(parts)


def read(path: str | Path) -> pl.DataFrame:
    """The file's id, TPS and vote columns as integers (an empty cell is null)."""
    df = pl.read_csv(path, columns=INTS, infer_schema_length=0)
    return df.with_columns([pl.col(c).cast(pl.Int64, strict=False) for c in INTS])


def with_codes(df: pl.DataFrame) -> pl.DataFrame:
    """Add ``code``: prov(2) + kab(2) + kec(2) + kel(4) + tps(3), each a base-36 ordinal among siblings."""
    out = df.with_columns(pl.col("prov_id").rank("dense").alias("_p"))
    for parent, child in (("prov_id", "kab_id"), ("kab_id", "kec_id"), ("kec_id", "kel_id")):
        out = out.with_columns(pl.col(child).rank("dense").over(parent).alias(f"_{child[0:3]}"))
    return out.with_columns(
        pl.concat_str(
            [
                base36(pl.col("_p"), 2),
                base36(pl.col("_kab"), 2),
                base36(pl.col("_kec"), 2),
                base36(pl.col("_kel"), 4),
                base36(pl.col("tps"), 3),
            ]
        ).alias("code")
    ).drop("_p", "_kab", "_kec", "_kel")


def frames(df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(witness, official) votes frames for :mod:`kawaltps.recap.engine` (paslon 1 and 2)."""
    witness = df.select("code", pl.col("kp_pas1").alias("c1"), pl.col("kp_pas2").alias("c2"))
    official = df.select("code", pl.col("kpu_pas1").alias("c1"), pl.col("kpu_pas2").alias("c2"))
    return witness, official
