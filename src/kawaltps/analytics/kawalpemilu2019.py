"""The 2019 presidential file (``pilpres2019_tps.csv.gz``) straight into analysis frames, without the
database: for the benchmarks (forensics on all 813,336 TPS, the quick-count coverage study) and the
real-data tests. Source ``witness`` = KawalPemilu's crowd-checked numbers (``kp_*``), ``official`` =
KPU's (``kpu_*``); paslon 1 (Jokowi–Ma'ruf) is the winner. Registered = DPT (l + p; −1 = unknown),
voters = valid + invalid. Regions are KawalPemilu's ids (prov/kab/kec/kel)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from .units import Units, from_frame

INTS = ["prov_id", "kab_id", "kec_id", "kel_id", "tps", "dpt_l", "dpt_p", "kp_pas1", "kp_pas2", "kp_sah",
        "kp_tsah", "kpu_pas1", "kpu_pas2", "kpu_sah", "kpu_tsah"]
PREFIX = {"witness": "kp", "official": "kpu"}


def read(path: str | Path) -> pl.DataFrame:
    df = pl.read_csv(path, columns=INTS + ["prov"], infer_schema_length=0)
    return df.with_columns([pl.col(c).cast(pl.Int64, strict=False) for c in INTS])


def with_source(df: pl.DataFrame, source: str = "witness") -> pl.DataFrame:
    """The rows that have ``source``'s numbers, as registered/voters/valid/v1/v2 + region ids."""
    p = PREFIX[source]
    have = df.filter(pl.all_horizontal(pl.col([f"{p}_pas1", f"{p}_pas2", f"{p}_sah", f"{p}_tsah"]).is_not_null()))
    return have.select(
        pl.when((pl.col("dpt_l") >= 0) & (pl.col("dpt_p") >= 0)).then(pl.col("dpt_l") + pl.col("dpt_p"))
        .alias("registered"),
        (pl.col(f"{p}_sah") + pl.col(f"{p}_tsah")).alias("voters"), pl.col(f"{p}_sah").alias("valid"),
        pl.col(f"{p}_pas1").alias("v1"), pl.col(f"{p}_pas2").alias("v2"),
        "prov", "prov_id", "kab_id", "kec_id", "kel_id", "tps")


def units(df: pl.DataFrame, source: str = "witness") -> Units:
    f = with_source(df, source).with_columns(
        pl.concat_str(["kel_id", "tps"], separator="/").alias("unit"),
        pl.col("kel_id").cast(pl.String).alias("kelurahan"), pl.col("kec_id").cast(pl.String).alias("kecamatan"))
    return from_frame(f, registered="registered", voters="voters", valid="valid", winner="v1", unit="unit",
                      groups={"region": "prov", "kelurahan": "kelurahan", "kecamatan": "kecamatan"},
                      winner_label="01 Jokowi–Ma'ruf")
