"""A second import mixing changed, unchanged and new rows: on PostgreSQL the new ones take the COPY
bulk path (``importers/fastcopy.py``), the others the upsert; the outcome is the same on SQLite."""

import pytest

from kawaltps.results.importers import import_file
from kawaltps.results.models import RegionTally, Submission, TpsResult

HEAD = "kode_tps,p1,p2,p3,sah,tidak_sah,total\n"


@pytest.mark.django_db(transaction=True)
def test_changed_unchanged_and_new_rows(small_election, tmp_path):
    first = tmp_path / "satu.csv"
    first.write_text(HEAD + "3175081001001,100,150,200,450,5,455\n3175081001002,1,2,3,6,0,6\n")
    r1 = import_file("csv", "uji", first)
    assert (r1.loaded["witness"], r1.tps_created) == (2, 0)
    second = tmp_path / "dua.csv"
    second.write_text(HEAD + "3175081001001,101,150,200,451,5,456\n3175081001002,1,2,3,6,0,6\n"
                      "3175081001003,7,8,9,24,1,25\n")
    r2 = import_file("csv", "uji", second)
    assert (r2.loaded["witness"], r2.unchanged["witness"], r2.tps_created) == (2, 1, 1)
    rows = {r.code: r for r in TpsResult.objects.filter(election=small_election)}
    assert rows["3175081001001"].version == 2 and rows["3175081001001"].votes == {"1": 101, "2": 150, "3": 200}
    assert rows["3175081001002"].version == 1
    assert rows["3175081001003"].version == 1 and rows["3175081001003"].valid == 24
    subs = {code: Submission.objects.filter(result__code=code, kind="import").count() for code in rows}
    assert subs == {"3175081001001": 2, "3175081001002": 1, "3175081001003": 1}
    assert RegionTally.objects.get(election=small_election, source="witness", code="31").votes == \
        {"1": 109, "2": 160, "3": 212}
    assert set(r2.timings) >= {"parse", "checks", "tallies"}
    again = import_file("csv", "uji", second)  # a rerun changes nothing
    assert (again.loaded["witness"], again.unchanged["witness"], again.tps_created) == (0, 3, 0)
