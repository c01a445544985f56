"""recap.tps_rows: one joined read of the register and both sources gives the same frames, the same
step-1 findings, not-compared reasons and coverage as the separate reads and joins it replaces
(issue 11.9), on SQLite and PostgreSQL."""

from importlib import import_module

import polars as pl
import pytest
from django.db import connection

from kawaltps.recap import coverage, discrepancies, engine, tps_rows
from kawaltps.results.models import TpsResult

from .conftest import result

N = [1, 2, 3]


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns)


@pytest.fixture
def varied(loaded):
    """``loaded`` with every case a TPS can be in: disputed, official missing, a paslon missing on each
    side, a witness result without numbers (Sirekap has them), and a TPS with no result at all."""
    e = loaded
    TpsResult.objects.filter(source="witness", code="3171011001001").update(state="disputed")
    TpsResult.objects.filter(source="official", code="3171011001002").delete()
    TpsResult.objects.filter(source="official", code="3175081002001").update(votes={"1": 30, "2": 30})
    TpsResult.objects.filter(source="witness", code="3175081001002").update(votes={"1": 50, "3": 60})
    kelurahan = e.tps_set.get(code="3175081002001").kelurahan_id
    tps = e.tps_set.create(code="3175081002003", number=3, kelurahan_id=kelurahan)
    result(e, tps.code, (), "witness", "received")
    result(e, tps.code, (1, 2, 3), "official", "verified")
    e.tps_set.create(code="3175081002004", number=4, kelurahan_id=kelurahan)
    return e


@pytest.mark.parametrize("states", [discrepancies.WITNESS_STATES, (*discrepancies.WITNESS_STATES, "entered")])
def test_one_read_gives_what_the_separate_reads_give(varied, states):
    frames = tps_rows.tps_frames(varied, N)
    separate = discrepancies.result_frames(varied)
    codes = discrepancies.tps_codes_frame(varied)
    assert _sorted(frames["codes"]).equals(_sorted(codes)) and codes.height == 8
    assert _sorted(frames["witness"]).equals(_sorted(separate["witness"]))
    assert _sorted(frames["official"]).equals(_sorted(separate["official"]))
    assert frames["witness"].filter(pl.col("code") == "3175081001002")["c2"].item() is None

    official = separate["official"].drop("voters", "invalid")
    ours = separate["witness"].filter(pl.col("state").is_in(list(states))).drop("state")
    joined = engine.compare_paired(tps_rows.pairs(frames["joined"], N, states), N)
    assert _sorted(joined).equals(_sorted(engine.compare_tps(ours, official, N)))
    assert joined["code"].to_list() == ["3175081001001"] + (["3175081002002"] if "entered" in states else [])

    reasons = engine.not_compared_counts(frames["register"], states)
    assert reasons == engine.not_compared(codes, separate["witness"], official, N, states)
    assert (reasons["no_numbers"], reasons["no_official"], reasons["witness_disputed"]) == (1, 2, 1)
    assert (reasons["witness_incomplete"], reasons["witness_unverified"]) == (1, 1)
    assert reasons["witness_incomplete"] == 1 and reasons["witness_unverified"] == 1


def test_coverage_from_the_register_rows_equals_the_group_by_of_every_source(varied):
    frames = tps_rows.tps_frames(varied, N)
    separate = discrepancies.result_frames(varied)
    codes = discrepancies.tps_codes_frame(varied)
    official = separate["official"].drop("voters", "invalid")
    kpu = pl.DataFrame({"code": ["3175081001001", "3175081001903"]})  # 903: KPU lists it, our register lacks it
    for lists in ((None, None), (kpu, pl.DataFrame({"code": ["3171011001001"]}))):
        got = coverage.per_register_tps(frames["register"], *lists)
        want = coverage.per_tps(codes, separate["witness"].drop("state"), official, N, *lists)
        assert _sorted(got).equals(_sorted(want))
    totals = coverage.totals(got)
    assert (totals["not_in_register"], totals["lokasi_khusus"], totals["psu"], totals["tps"]) == (1, 1, 1, 9)
    assert (totals["ours_only"], totals["official_only"]) == (2, 2)


@pytest.mark.django_db
def test_the_read_has_its_covering_indexes_on_postgresql():
    """The three indexes the one read scans (migration ``recap.0007``): a later migration that drops
    or changes one would make ``kawaltps discrepancies`` read the whole results table again."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no INCLUDE")
    wanted = import_module("kawaltps.recap.migrations.0007_tps_rows_covering_indexes").INDEXES
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [list(wanted)])
        found = dict(cursor.fetchall())
    assert sorted(found) == sorted(wanted)
    assert "INCLUDE (election_id, state, votes) WHERE ((source)::text = 'witness'::text)" in found[
        "recap_tps_witness_cover"]
