"""The 2024 Sirekap table of Jakarta (``pilpres2024_dki_tps.csv``): KPU's numbers (``official``).

Columns: ``kode_tps`` (13 digits), ``kab_slug, kec_slug, kel_slug, tps``, votes ``p01, p02, p03``,
``dpt, dpt_l, dpt_p``, voters ``pengguna_dpt, pengguna_dptb, pengguna_dpk, pengguna_total``,
``suara_sah, suara_tidak_sah, suara_total``, ``ts``, ``n_photos``. A TPS whose three vote cells are
empty (Sirekap had not published it: 8,254 of 30,766) creates its TPS only. Jakarta's regions are
loaded from the project fixture when absent. ``--source`` may say ``witness`` if the file holds
our own numbers in this layout.
"""

import datetime

import polars as pl

from kawaltps.regions.models import Region

from .base import Batch, ElectionSpec, Report, coded_tps, drop_rows, negative_reasons, read_csv, to_int

SPEC = ElectionSpec(
    name="Pilpres 2024 (DKI Jakarta)", kind="pilpres", date=datetime.date(2024, 2, 14), form_type="C.HASIL-PPWP",
    max_dpt_per_tps=300, scope_id="31",
    candidates=[(1, "Anies Baswedan – Muhaimin Iskandar"), (2, "Prabowo Subianto – Gibran Rakabuming Raka"),
                (3, "Ganjar Pranowo – Mahfud MD")])
VOTES = {"p01": "v1", "p02": "v2", "p03": "v3"}
NUMBERS = {"dpt": "dpt_j", "dpt_l": "dpt_l", "dpt_p": "dpt_p", "pengguna_dpt": "pengguna_dpt_j",
           "pengguna_dptb": "pengguna_dptb_j", "pengguna_dpk": "pengguna_dpk_j",
           "pengguna_total": "pengguna_total_j", "suara_sah": "suara_sah", "suara_tidak_sah": "suara_tidak_sah",
           "suara_total": "suara_total"}


def election_spec(path, slug: str) -> ElectionSpec:
    return SPEC


def ensure_jakarta() -> int:
    """Load Jakarta's regions from the project fixture if the province is missing; returns regions made."""
    if Region.objects.filter(code="31").exists():
        return 0
    from kawaltps.regions.demo import JAKARTA_REGIONS
    from kawaltps.regions.importer import import_regions

    return sum(import_regions(JAKARTA_REGIONS).created.values())


def parse(path, source: str | None, report: Report, election=None) -> Batch:
    from .base import parse_source

    source = parse_source(source, "official")
    df = read_csv(path).with_row_index("row", offset=2).with_columns(pl.col("row").cast(pl.Int64))
    missing = [c for c in ["kode_tps", *VOTES, *NUMBERS] if c not in df.columns]
    if missing:
        from django.core.management.base import CommandError
        raise CommandError(f"kolom berkas Sirekap DKI 2024 tidak lengkap: {', '.join(missing)} tidak ada")
    report.rows = df.height
    report.regions_created += ensure_jakarta()
    df = to_int(df, [*VOTES, *NUMBERS], report)
    df = drop_rows(df, negative_reasons(df, {c: c for c in [*VOTES, *NUMBERS]}), report)
    df = coded_tps(df, "kode_tps", report)
    tps = df.select("row", "code", "kel_code", "number", pl.col("dpt_l").fill_null(0), pl.col("dpt_p").fill_null(0))
    have = df.filter(pl.all_horizontal(pl.col(list(VOTES)).is_not_null()))
    partial = df.filter(pl.any_horizontal(pl.col(list(VOTES)).is_not_null())
                        & ~pl.all_horizontal(pl.col(list(VOTES)).is_not_null()))
    drop_rows(partial, partial.select("row", pl.lit("suara paslon terisi sebagian").alias("reason")), report)
    results = have.select("row", "code", pl.lit(source).alias("source"), pl.col("suara_sah").alias("valid"),
                          pl.col("suara_tidak_sah").alias("invalid"), pl.col("suara_total").alias("total"),
                          pl.col("pengguna_total").alias("voters"),
                          *[pl.col(k).alias(v) for k, v in NUMBERS.items()],
                          *[pl.col(k).alias(v) for k, v in VOTES.items()])
    return Batch(tps=tps, results=results, candidates=[1, 2, 3], number_keys=list(NUMBERS.values()))
