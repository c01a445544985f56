"""rebuild_tallies equals tally.recompute_tallies (the incremental rules); tabulate reads the rows."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kawaltps.results import tally
from kawaltps.results.models import RegionTally, TpsResult
from kawaltps.results.tabulation import rebuild_tallies, tabulate

from .importing import run_json


def _fill(small_election, tmp_path):
    text = ("kode_tps,p1,p2,p3,sah,tidak_sah,total\n"
            "3175081001001,100,150,200,450,5,455\n"
            "3175081001002,90,110,120,999,4,324\n"
            "3171011001001,1,2,3,6,0,6\n")
    path = tmp_path / "h.csv"
    path.write_text(text)
    run_json("import-results", "--election", "uji", "--format", "csv", str(path))
    TpsResult.objects.filter(code="3171011001001").update(state="verified")
    TpsResult.objects.filter(code="3175081001002").update(state="disputed")
    rebuild_tallies(small_election, "witness")  # the states were changed behind the services' back


def test_rebuild_equals_reference_recompute(small_election, tmp_path):
    _fill(small_election, tmp_path)
    rebuild_tallies(small_election, "witness")
    ours = tally.tally_rows(small_election, "witness")
    tally.recompute_tallies(small_election, "witness")
    assert tally.tally_rows(small_election, "witness") == ours
    assert ours["31"]["tps_total"] == 6 and ours["31"]["tps_entered"] == 3
    assert ours["31"]["tps_verified"] == 1 and ours["31"]["tps_disputed"] == 1 and ours["31"]["tps_flagged"] == 1


def test_tabulate_levels_and_command(small_election, tmp_path):
    _fill(small_election, tmp_path)
    rows = tabulate(small_election, 3, "witness")
    assert [r["code"] for r in rows] == ["317101", "317508"]
    kec = rows[1]
    assert kec["votes"] == {"1": 190, "2": 260, "3": 320} and kec["valid"] == 1449
    assert kec["coverage"] == {"verified": 0, "entered": 1, "disputed": 1, "received": 0, "missing": 2, "total": 4,
                               "with_numbers": 2, "partial": {}}  # each TPS once (issue 16.3)
    assert kec["flagged"] == 1 and kec["name"]
    out = run_json("tabulate", "--election", "uji", "--level", "kelurahan")
    assert len(out["rows"]) == 3 and out["national"]["votes"] == {"1": 191, "2": 262, "3": 323}
    assert RegionTally.objects.filter(election=small_election, source="official").count() == 0
    assert run_json("tabulate", "--election", "uji", "--level", "provinsi", "--source", "official")["rows"] == []


def test_tabulate_bad_level_and_election(small_election):
    with pytest.raises(CommandError, match="tingkat wilayah tidak dikenal"):
        call_command("tabulate", "--election", "uji", "--level", "negara")
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("tabulate", "--election", "tidak-ada", "--level", "provinsi")
