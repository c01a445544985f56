"""Coverage that reads one way, and partial totals that say so (issue 16.2, 16.3).

Each TPS is in exactly one bucket (verified/published, entered, disputed, received, missing), so the
buckets add up to the TPS count; a sum of valid/invalid/total known at fewer TPS than have numbers
carries ``partial`` {"tps", "of"} and the page shows "(dari N TPS)". The new counters behind them
(``tps_received``, ``tps_<field>_known``) agree between submissions (ORM path on SQLite, the
two-statement fast path on PostgreSQL), the bulk rebuild and an independent ORM recomputation.
"""

import io

import polars as pl
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kawaltps.results import services
from kawaltps.results.tabulation import BUCKETS, rebuild_tallies
from kawaltps.results.tally import recompute_tallies, tally_rows
from tests.conftest import shared_file

from .conftest import make_jpeg
from .helpers import good_form
from .importing import run_json
from .test_submit_fastpath import bearer, post
from .test_tally import folded_rows, orm_recomputation

PASSWORD = "sandi-uji-123"


def _adds_up(cov: dict) -> bool:
    return sum(cov[b] for b in BUCKETS) == cov["total"]


@pytest.fixture
def every_state(small_election, users):
    """6 TPS: one photo only (received), one photo then numbers through the device API (entered),
    one verified (two equal entries), one disputed (two different entries), two with nothing."""
    e, clerk, clerk2 = small_election, users["clerk"], users["clerk2"]
    services.add_photo(users["saksi"], e, "3175081001001", 1, make_jpeg(seed=1))
    services.add_photo(clerk, e, "3175081001002", 1, make_jpeg(seed=2))
    r = post(Client(), bearer(clerk), "cov-api", tps="3175081001002")  # fast path on PostgreSQL
    assert r.status_code == 201 and r.json()["state"] == "entered"
    v, n = good_form()
    services.submit(clerk, e, "3175081002001", "clerk_first", v, n, "cov-v1")
    services.submit(clerk2, e, "3175081002001", "clerk_first", v, n, "cov-v2")
    services.submit(clerk, e, "3175081002002", "clerk_first", v, n, "cov-d1")
    services.submit(clerk2, e, "3175081002002", "clerk_first", {**v, "1": v["1"] + 1}, n, "cov-d2")
    return e


def test_witness_buckets_add_up_and_incremental_equals_rebuild(every_state):
    e = every_state
    incremental = folded_rows(e)
    assert incremental == orm_recomputation(e)  # every counter, tps_received and *_known included
    assert incremental["31"]["tps_received"] == 1 and incremental["31"]["tps_valid_known"] == 3
    for rebuild in (rebuild_tallies, recompute_tallies):  # the bulk SQL and the reference, from scratch
        rebuild(e, "witness")
        rebuilt = tally_rows(e, "witness")  # also rows of regions without any result: all zero
        assert {c: r for c, r in rebuilt.items() if c in incremental} == incremental
        assert all(not any(v for k, v in r.items() if k not in ("level", "tps_total")) for c, r in rebuilt.items()
                   if c not in incremental)

    out = run_json("tabulate", "--election", "uji", "--level", "provinsi")
    cov = out["national"]["coverage"]
    assert {b: cov[b] for b in (*BUCKETS, "total")} == {"verified": 1, "entered": 1, "disputed": 1, "received": 1,
                                                        "missing": 2, "total": 6}
    assert cov["with_numbers"] == 3 and cov["partial"] == {}
    for level in ("kabkota", "kecamatan", "kelurahan"):
        rows = run_json("tabulate", "--election", "uji", "--level", level)["rows"]
        assert rows and all(_adds_up(r["coverage"]) for r in rows)


def test_witness_dashboard_uses_the_same_buckets(client, every_state, users):
    client.force_login(users["admin"])
    data = client.get(reverse("results:dashboard_json"), {"pemilihan": "uji"}).json()
    cov = data["total"]["coverage"]
    assert (cov["verified"], cov["entered"], cov["disputed"], cov["received"], cov["missing"]) == (1, 1, 1, 1, 2)
    assert all(_adds_up(r["coverage"]) for r in data["rows"])
    assert data["coverage_labels"]["verified"] == "terverifikasi" and data["total"]["notes"]["valid"] == ""
    page = client.get(reverse("results:dashboard"), {"pemilihan": "uji"}).content.decode()
    assert "foto saja, belum dientri" in page and "(dari" not in page


@pytest.fixture
def cideng(db, tmp_path):
    """Kelurahan Cideng (3171011002) of the real Sirekap 2024 table: many TPS carry the paslon
    votes but no valid/invalid/total; some have no votes at all (TPS only)."""
    df = pl.read_csv(shared_file("id", "pilpres2024_dki_tps.csv"), infer_schema=False)
    df = df.filter(pl.col("kode_tps").str.starts_with("3171011002"))
    path = tmp_path / "cideng.csv"
    df.write_csv(path)
    run_json("import-results", "--election", "pilpres-2024-dki", "--format", "sirekap-dki2024", str(path))
    has_votes = df.filter(pl.col("p01").is_not_null() & pl.col("p02").is_not_null() & pl.col("p03").is_not_null())
    known = has_votes.filter(pl.col("suara_sah").is_not_null())
    assert 0 < known.height < has_votes.height  # the case of the issue
    return {"tps": df.height, "with_numbers": has_votes.height, "valid_known": known.height,
            "valid": known["suara_sah"].cast(pl.Int64).sum()}


@pytest.mark.realdata
def test_official_partial_valid_in_tabulate_json_and_text(cideng):
    out = run_json("tabulate", "--election", "pilpres-2024-dki", "--level", "kelurahan", "--source", "official")
    (row,) = out["rows"]
    cov = row["coverage"]
    assert _adds_up(cov) and cov["total"] == cideng["tps"]
    assert cov["entered"] == cideng["with_numbers"] and cov["missing"] == cideng["tps"] - cideng["with_numbers"]
    assert row["valid"] == cideng["valid"]
    assert cov["partial"]["valid"] == {"tps": cideng["valid_known"], "of": cideng["with_numbers"]}
    assert out["national"]["coverage"]["partial"] == cov["partial"]  # the sum keeps saying so
    assert out["coverage_labels"]["entered"] == "diterbitkan"  # KPU publishes; we verify (issue 11)
    assert "terverifikasi" not in out["coverage_labels"]["verified"]
    buf = io.StringIO()
    call_command("tabulate", "--election", "pilpres-2024-dki", "--level", "kelurahan", "--source", "official",
                 stdout=buf)
    dots = lambda n: f"{n:,}".replace(",", ".")  # noqa: E731  (the one number format: 14.835)
    assert f"{dots(cideng['valid'])} (dari {dots(cideng['valid_known'])} TPS)" in buf.getvalue()


@pytest.mark.realdata
def test_official_partial_valid_on_the_page_and_json(client, cideng, make_user):
    admin = make_user("admin", "admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    params = {"pemilihan": "pilpres-2024-dki", "sumber": "official"}
    data = client.get(reverse("results:dashboard_json"), {**params, "wilayah": "3171011002"}).json()
    t = data["total"]
    assert t["coverage"]["partial"]["valid"] == {"tps": cideng["valid_known"], "of": cideng["with_numbers"]}
    assert t["notes"]["valid"] == f"(dari {cideng['valid_known']} TPS)"
    page = client.get(reverse("results:dashboard_region", args=["317101"]), params).content.decode()
    assert f"(dari {cideng['valid_known']} TPS)" in page and "diterbitkan" in page and "terverifikasi" not in page
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        page = client.get(reverse("results:dashboard_region", args=["317101"]), params,
                          HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"(from {cideng['valid_known']} TPS)" in page and "published" in page


def test_migration_fills_the_new_counters_of_existing_rows(every_state):
    """Rows written before the migration get the new counters from the results (pending deltas carry 0)."""
    import importlib
    from types import SimpleNamespace

    from django.db import connection

    from kawaltps.results.models import RegionTally

    e = every_state
    rebuild_tallies(e, "witness")
    want = tally_rows(e, "witness")
    RegionTally.objects.update(tps_received=0, tps_valid_known=0, tps_invalid_known=0, tps_total_known=0)
    migration = importlib.import_module("kawaltps.results.migrations.0003_tally_coverage_counters")
    migration.fill_counters(None, SimpleNamespace(connection=connection))
    assert tally_rows(e, "witness") == want and want["31"]["tps_received"] == 1
