"""What is missing is a finding (issue 11 item 4): counted per region with whole-frame joins.

Per TPS (one join of the register, our C.Hasil and Sirekap):

- ``ours_only``: our saksi's C.Hasil (complete numbers, any state) and no Sirekap numbers;
- ``official_only``: Sirekap numbers and no C.Hasil of ours;
- ``not_in_register``: a TPS that KPU lists (Sirekap's kelurahan pages, ``RegionSnapshot.table``) and
  our register lacks: a register mismatch, never counted as "votes added";
- ``lokasi_khusus``: TPS numbered 900 and up (TPS Lokasi Khusus: hospitals, prisons, dormitories,
  PKPU 25/2023), marked because their voters are not in the kelurahan's DPT;
- ``psu``: TPS whose Sirekap page says it was re-voted (a second legitimate result).
"""

from __future__ import annotations

import polars as pl

from . import engine

KINDS = ("ours_only", "official_only", "not_in_register", "lokasi_khusus", "psu")
LOKASI_KHUSUS_FROM = 900


def is_lokasi_khusus(code: pl.Expr) -> pl.Expr:
    """True for a 13-digit TPS code whose number (last 3 digits) is 900 or more."""
    return code.str.slice(10, 3).cast(pl.Int32, strict=False).fill_null(0) >= LOKASI_KHUSUS_FROM


def per_tps(
    tps: pl.DataFrame,
    witness: pl.DataFrame,
    official: pl.DataFrame,
    numbers: list[int],
    kpu_codes: pl.DataFrame | None = None,
    psu_codes: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per TPS of the register or of KPU's lists: ``code`` and a Boolean column per :data:`KINDS`."""
    reg = tps.select(pl.col("code").cast(pl.Utf8)).unique().with_columns(pl.lit(True).alias("in_register"))
    w = engine._clean(witness, numbers).select("code", pl.lit(True).alias("has_ours")).unique("code")
    o = engine._clean(official, numbers).select("code", pl.lit(True).alias("has_official")).unique("code")
    k = (kpu_codes if kpu_codes is not None else pl.DataFrame(schema={"code": pl.Utf8})).select(
        pl.col("code").cast(pl.Utf8)
    )
    p = (psu_codes if psu_codes is not None else pl.DataFrame(schema={"code": pl.Utf8})).select(
        pl.col("code").cast(pl.Utf8), pl.lit(True).alias("is_psu")
    )
    allc = pl.concat([reg.select("code"), k, o.select("code")]).unique()
    t = (
        allc.join(reg, on="code", how="left")
        .join(w, on="code", how="left")
        .join(o, on="code", how="left")
        .join(p.unique("code"), on="code", how="left")
        .with_columns(pl.col(x).fill_null(False) for x in ("in_register", "has_ours", "has_official", "is_psu"))
    )
    return t.select(
        "code",
        (pl.col("in_register") & pl.col("has_ours") & ~pl.col("has_official")).alias("ours_only"),
        (pl.col("in_register") & pl.col("has_official") & ~pl.col("has_ours")).alias("official_only"),
        (~pl.col("in_register")).alias("not_in_register"),
        is_lokasi_khusus(pl.col("code")).alias("lokasi_khusus"),
        pl.col("is_psu").alias("psu"),
    )


def by_region(rows: pl.DataFrame, length: int = 6) -> pl.DataFrame:
    """:func:`per_tps` counted by the first ``length`` digits of the code (6 = kecamatan), every kind a
    column, plus ``tps``; regions with something missing first."""
    out = rows.group_by(pl.col("code").str.slice(0, length).alias("region")).agg(
        pl.len().alias("tps"), *[pl.col(k).sum().cast(pl.Int64) for k in KINDS]
    )
    gap = pl.col("ours_only") + pl.col("official_only") + pl.col("not_in_register")
    return out.with_columns(gap.alias("missing")).sort(["missing", "region"], descending=[True, False])


def totals(rows: pl.DataFrame) -> dict[str, int]:
    """Each kind summed over every TPS."""
    return {k: int(rows[k].sum()) for k in KINDS} | {"tps": rows.height}
