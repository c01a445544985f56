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

    # 13-digit codes as Int64 keys: hashing integers is several times faster than strings at 800k TPS
    def keys(frame: pl.DataFrame | None) -> pl.DataFrame:
        if frame is None:
            return pl.DataFrame(schema={"k": pl.Int64})
        return frame.select(pl.col("code").cast(pl.Utf8).cast(pl.Int64, strict=False).alias("k")).drop_nulls()

    reg = keys(tps).unique()
    ours = keys(engine._clean(witness, numbers)).get_column("k")
    off = keys(engine._clean(official, numbers))
    psu = keys(psu_codes).get_column("k")
    # TPS KPU has (its lists or its numbers) that our register lacks: one anti join
    extra = pl.concat([keys(kpu_codes), off]).unique().join(reg, on="k", how="anti")
    t = pl.concat(
        [reg.with_columns(pl.lit(True).alias("in_register")), extra.with_columns(pl.lit(False).alias("in_register"))]
    )
    in_reg, has_ours = pl.col("in_register"), pl.col("k").is_in(ours.implode())
    has_official = pl.col("k").is_in(off.get_column("k").implode())
    code = pl.col("k").cast(pl.Utf8).str.zfill(13)
    return t.select(
        code.alias("code"),
        (in_reg & has_ours & ~has_official).alias("ours_only"),
        (in_reg & has_official & ~has_ours).alias("official_only"),
        (~in_reg).alias("not_in_register"),
        (pl.col("k") % 1000 >= LOKASI_KHUSUS_FROM).alias("lokasi_khusus"),
        pl.col("k").is_in(psu.implode()).alias("psu"),
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
