"""The 2019 KawalPemilu extract (``pilpres2019_tps.csv.gz``): both sources, its own region ids.

Columns: ``prov_id, prov, kab_id, kab, kec_id, kec, kel_id, kel, tps, dpt_l, dpt_p,
kp_pas1, kp_pas2, kp_sah, kp_tsah, kp_jum, kp_janggal, kpu_pas1, kpu_pas2, kpu_sah, kpu_tsah, kpu_jum``.
``kp_*`` are KawalPemilu's crowd-checked numbers (source ``witness``), ``kpu_*`` KPU's (``official``);
``kp_janggal = 1`` means KawalPemilu marked the TPS as odd (flag ``janggal_kawalpemilu``).

Regions. The ids are KawalPemilu's, not Kemendagri codes, so the importer makes *synthetic* codes
with the usual widths (2/4/6/10, TPS 13) that can never collide with a real, all-digit code:

- provinsi: a letter and a digit, in the order of the KawalPemilu id (``A1`` ACEH … ``D4``
  KALIMANTAN UTARA, then ``D5`` Luar Negeri, whose id is negative);
- kab/kota, kecamatan, kelurahan: the ordinal (1, 2, …) of the KawalPemilu id among its siblings,
  zero-padded to 2, 2 and 4 characters; past 99 (abroad has 130 "kab" countries) the first
  character becomes a letter: 100 → ``A0``, 130 → ``D0`` (see :func:`segment`);
- TPS: the file's TPS number, 3 digits, or the same letter form past 999 (abroad: up to 2553).

The codes depend only on the set of ids in the file, so loading the whole file again gives the same
codes. A *different* slice loaded into the same database may give a region a code already used by
another region of another slice: such rows are rejected with the reason rather than mixed up.

Other rules: ``dpt_l``/``dpt_p`` of ``-1`` mean "unknown" in the extract (4,340 TPS) and load as
DPT 0; a source is absent on a row when any of its ``pas1, pas2, sah, tsah`` is empty (a row with
only ``jum`` is absent too); a row with neither source still creates its TPS.
"""

import datetime

import polars as pl

from kawaltps.regions.models import Region

from .base import Batch, ElectionSpec, Report, drop_rows, insert_frame, negative_reasons, read_csv, to_int

SPEC = ElectionSpec(
    name="Pilpres 2019", kind="pilpres", date=datetime.date(2019, 4, 17), form_type="C.HASIL-PPWP",
    max_dpt_per_tps=300,
    candidates=[(1, "Joko Widodo – Ma'ruf Amin"), (2, "Prabowo Subianto – Sandiaga Uno")])
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
NUMERIC = ["prov_id", "kab_id", "kec_id", "kel_id", "tps", "dpt_l", "dpt_p", "kp_pas1", "kp_pas2", "kp_sah",
           "kp_tsah", "kp_jum", "kp_janggal", "kpu_pas1", "kpu_pas2", "kpu_sah", "kpu_tsah", "kpu_jum"]
SOURCES = {"witness": "kp", "official": "kpu"}
NUMBER_KEYS = ["dpt_l", "dpt_p", "dpt_j", "suara_sah", "suara_tidak_sah", "suara_total"]


def segment(expr: pl.Expr, width: int) -> pl.Expr:
    """n → zero-padded n when it fits ``width`` digits, else a letter + (width-1) digits:
    10**w + k*10**(w-1) + r → LETTERS[k] + r (so 100 → A0, 130 → D0 for width 2)."""
    top = 10 ** width
    low = 10 ** (width - 1)
    over = expr - top
    letter = (over // low).replace_strict(list(range(26)), list(LETTERS), default="?", return_dtype=pl.String)
    return (pl.when(expr < top).then(expr.cast(pl.String).str.zfill(width))
            .otherwise(pl.concat_str([letter, (over % low).cast(pl.String).str.zfill(width - 1)])))


def _codes(df: pl.DataFrame) -> pl.DataFrame:
    """Add prov_code, kab_code, kec_code, kel_code, code (synthetic, see the module docstring)."""
    provs = (df.select("prov_id").unique()
             .sort([pl.col("prov_id") < 0, pl.col("prov_id")])
             .with_row_index("i", offset=1)
             .with_columns(pl.concat_str([
                 pl.col("i").cast(pl.Int64).floordiv(10).replace_strict(list(range(26)), list(LETTERS),
                                                                        default="?", return_dtype=pl.String),
                 (pl.col("i") % 10).cast(pl.String)]).alias("prov_code")).drop("i"))
    df = df.join(provs, on="prov_id")
    for parent, child, width, name in [("prov", "kab", 2, "kab_code"), ("kab", "kec", 2, "kec_code"),
                                       ("kec", "kel", 4, "kel_code")]:
        ids = (df.select(f"{parent}_code", f"{child}_id").unique()
               .with_columns(pl.col(f"{child}_id").rank("ordinal").over(f"{parent}_code").cast(pl.Int64).alias("n"))
               .with_columns(pl.concat_str([pl.col(f"{parent}_code"), segment(pl.col("n"), width)]).alias(name))
               .select(f"{child}_id", name))
        df = df.join(ids, on=f"{child}_id")
    return df.with_columns(pl.concat_str([pl.col("kel_code"), segment(pl.col("tps"), 3)]).alias("code"))


def _regions(df: pl.DataFrame, report: Report) -> pl.DataFrame:
    """Create the file's regions that are missing; reject rows whose synthetic code names another region.

    Column-wise: the synthetic regions already stored are read once, the new ones found by an
    anti-join and written in one COPY (SQLite: executemany), parents first (no Region objects:
    creating 91,539 of them through the ORM took most of a minute)."""
    levels = [("prov_code", "prov", None, 1), ("kab_code", "kab", "prov_code", 2),
              ("kec_code", "kec", "kab_code", 3), ("kel_code", "kel", "kec_code", 4)]
    existing = pl.DataFrame(list(Region.objects.filter(code__regex=r"^[A-Z]").values_list("code", "name")),
                            schema={"code": pl.String, "old": pl.String}, orient="row")
    new_parts, clash_parts = [], []
    for code_col, name_col, parent_col, level in levels:
        regions = (df.select(pl.col(code_col).alias("code"), pl.col(name_col).str.strip_chars().str.slice(0, 120)
                             .alias("name"), (pl.col(parent_col) if parent_col else pl.lit(None, pl.String))
                             .alias("parent_id"))
                   .unique(subset=["code"], keep="first", maintain_order=True))
        known = regions.join(existing, on="code", how="inner")
        clash_parts.append(known.filter(pl.col("old") != pl.col("name")).select("code", "old", "name"))
        new_parts.append(regions.join(existing, on="code", how="anti").with_columns(pl.lit(level).alias("level")))
    new = pl.concat(new_parts).select("code", "name", "level", "parent_id")
    insert_frame("regions_region", new, not_null=("name",))
    report.regions_created += new.height
    clashes = pl.concat(clash_parts)
    if clashes.height:
        reason = {c: f"kode wilayah sintetis {c} sudah dipakai {old!r}, bukan {name!r}; muat seluruh berkas "
                     f"KawalPemilu ke pemilihan dan basis data yang sama" for c, old, name in clashes.iter_rows()}
        codes = list(reason)
        mask = pl.any_horizontal([pl.col(c).is_in(codes) for c in ("prov_code", "kab_code", "kec_code", "kel_code")])
        bad = df.filter(mask).select("row", pl.coalesce([
            pl.col(c).replace_strict(reason, default=None) for c in
            ("prov_code", "kab_code", "kec_code", "kel_code")]).alias("reason"))
        df = drop_rows(df, bad, report)
    return df


def election_spec(path, slug: str) -> ElectionSpec:
    return SPEC


def parse(path, source: str | None, report: Report, election=None) -> Batch:
    """Read the extract (gzip or plain), create its regions, return the TPS and both sources' results."""
    df = read_csv(path).with_row_index("row", offset=2).with_columns(pl.col("row").cast(pl.Int64))
    missing = [c for c in NUMERIC + ["prov", "kab", "kec", "kel"] if c not in df.columns]
    if missing:
        from django.core.management.base import CommandError
        raise CommandError(f"kolom berkas KawalPemilu 2019 tidak lengkap: {', '.join(missing)} tidak ada")
    report.rows = df.height
    df = to_int(df, NUMERIC, report)
    required = ["prov_id", "kab_id", "kec_id", "kel_id", "tps", "prov", "kab", "kec", "kel"]
    empty = df.filter(pl.any_horizontal(pl.col(required).is_null() | (pl.col(required).cast(pl.String) == "")))
    df = drop_rows(df, empty.select("row", pl.lit("wilayah atau nomor TPS kosong").alias("reason")), report)
    df = drop_rows(df, df.filter(pl.col("tps") < 1).select(
        "row", pl.format("nomor TPS tidak sah ({})", "tps").alias("reason")), report)
    df = drop_rows(df, negative_reasons(df, {c: c for c in NUMERIC if c.startswith("kp") or c.startswith("kpu")}),
                   report)
    dup = df.filter(pl.struct("kel_id", "tps").is_duplicated()).with_columns(
        pl.col("row").min().over("kel_id", "tps").alias("first"))
    df = drop_rows(df, dup.filter(pl.col("row") != pl.col("first")).select(
        "row", pl.format("TPS {} di kelurahan id {} sudah ada di baris {}", "tps", "kel_id", "first").alias("reason")),
        report)
    df = _regions(_codes(df), report)
    known = (pl.col("dpt_l") >= 0) & (pl.col("dpt_p") >= 0)
    df = df.with_columns(pl.when(known).then(pl.col(c)).alias(f"form_{c}") for c in ("dpt_l", "dpt_p"))
    df = df.with_columns(pl.when(known).then(pl.col(c)).otherwise(0).alias(c) for c in ("dpt_l", "dpt_p"))
    tps = df.select("row", "code", "kel_code", pl.col("tps").alias("number"), "dpt_l", "dpt_p")
    frames = []
    for src, pre in SOURCES.items():
        if source and src != source:
            continue
        have = df.filter(pl.all_horizontal(pl.col([f"{pre}_pas1", f"{pre}_pas2", f"{pre}_sah", f"{pre}_tsah"])
                                           .is_not_null()))
        frames.append(have.select(
            "row", "code", pl.lit(src).alias("source"), pl.col(f"{pre}_sah").alias("valid"),
            pl.col(f"{pre}_tsah").alias("invalid"), pl.col(f"{pre}_jum").alias("total"),
            pl.lit(None, pl.Int64).alias("voters"),
            pl.col("form_dpt_l").alias("dpt_l"), pl.col("form_dpt_p").alias("dpt_p"),
            (pl.col("form_dpt_l") + pl.col("form_dpt_p")).alias("dpt_j"),
            pl.col(f"{pre}_sah").alias("suara_sah"), pl.col(f"{pre}_tsah").alias("suara_tidak_sah"),
            pl.col(f"{pre}_jum").alias("suara_total"),
            pl.col(f"{pre}_pas1").alias("v1"), pl.col(f"{pre}_pas2").alias("v2"),
            (pl.when((pl.col("kp_janggal") == 1) & (pre == "kp")).then(pl.lit("janggal_kawalpemilu"))
             .otherwise(pl.lit(None, pl.String)).alias("file_flag"))))
    return Batch(tps=tps, results=pl.concat(frames), candidates=[1, 2], number_keys=NUMBER_KEYS)
