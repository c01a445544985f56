"""import-results --format csv: bad rows reported with reasons, the rest loaded, nothing else touched."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kawaltps.elections.models import Candidate, Election
from kawaltps.regions.models import TPS
from kawaltps.results.models import RegionTally, Submission, TpsResult

from .importing import run_json

GOOD = "kode_tps,dpt_l,dpt_p,p1,p2,p3,sah,tidak_sah,total\n" \
       "3175081001001,250,260,100,150,200,450,5,455\n" \
       "31.75.08.1001.002,250,260,90,110,120,320,4,324\n"


def write(tmp_path, text, name="hasil.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_new_election_created_with_candidates_and_tallies(jakarta, tmp_path):
    out = run_json("import-results", "--election", "uji-csv", "--format", "csv", str(write(tmp_path, GOOD)))
    assert out["election_created"] and out["loaded"]["witness"] == 2 and out["rejected"] == []
    e = Election.objects.get(slug="uji-csv")
    assert list(Candidate.objects.filter(election=e).values_list("number", flat=True)) == [1, 2, 3]
    assert TPS.objects.get(election=e, code="3175081001002").dpt == 510
    r = TpsResult.objects.get(election=e, code="3175081001001")
    assert (r.votes, r.valid, r.invalid, r.total, r.state) == ({"1": 100, "2": 150, "3": 200}, 450, 5, 455, "entered")
    assert Submission.objects.get(result=r).kind == "import"
    prov = RegionTally.objects.get(election=e, source="witness", code="31")
    assert prov.votes == {"1": 190, "2": 260, "3": 320} and prov.tps_entered == 2 and prov.tps_total == 2


def test_bad_rows_reported_rest_loaded(small_election, tmp_path):
    text = GOOD + (
        "317508100100X,250,260,1,2,3,6,0,6\n"        # 4: bad code
        "9999999999001,250,260,1,2,3,6,0,6\n"        # 5: unknown kelurahan
        "3175081002001,250,260,-1,2,3,4,0,4\n"       # 6: negative
        "3175081002002,250,260,satu,2,3,6,0,6\n"     # 7: not an integer
        "3171011001001,250,260,1,,3,6,0,6\n"         # 8: partly filled
        "3175081001001,250,260,1,2,3,6,0,6\n"        # 9: duplicate of row 2
        "3171011001002,250,260,,,,,,\n")             # 10: TPS only, no numbers
    out = run_json("import-results", "--election", "uji", "--format", "csv", str(write(tmp_path, text)))
    reasons = {r["row"]: r["reason"] for r in out["rejected"]}
    assert set(reasons) == {4, 5, 6, 7, 8, 9}
    assert "kode TPS tidak sah" in reasons[4]
    assert "kelurahan 9999999999 tidak dikenal" in reasons[5]
    assert "negatif" in reasons[6]
    assert "bukan bilangan bulat" in reasons[7]
    assert "tidak lengkap" in reasons[8]
    assert "sudah ada di baris 2" in reasons[9]
    assert out["loaded"]["witness"] == 2
    assert set(TpsResult.objects.filter(election=small_election).values_list("code", flat=True)) == {
        "3175081001001", "3175081001002"}
    assert RegionTally.objects.get(election=small_election, source="witness", code="3175").tps_entered == 2


def test_arithmetic_errors_flag_but_load(small_election, tmp_path):
    text = "kode_tps,p1,p2,p3,sah,tidak_sah,total\n3175081001001,100,150,200,999,5,455\n"
    out = run_json("import-results", "--election", "uji", "--format", "csv", "--source", "official",
                   str(write(tmp_path, text)))
    r = TpsResult.objects.get(election=small_election, source="official")
    assert r.flagged and "paslon_tidak_sama_sah" in r.flags and "sah_tidak_sah_total" in r.flags
    assert out["flagged"]["official"] == 1 and r.valid == 999


def test_missing_column_is_a_clear_error_and_changes_nothing(small_election, tmp_path):
    path = write(tmp_path, "kode_tps,p1,p2,p3,sah,total\n3175081001001,1,2,3,6,6\n")
    with pytest.raises(CommandError, match="kolom wajib tidak ada: tidak_sah"):
        call_command("import_results", "--election", "uji", "--format", "csv", str(path))
    assert not TpsResult.objects.exists() and not Submission.objects.exists()


def test_unknown_candidate_for_existing_election(small_election, tmp_path):
    path = write(tmp_path, "kode_tps,p1,p2,p3,p4,sah,tidak_sah,total\n3175081001001,1,2,3,4,10,0,10\n")
    with pytest.raises(CommandError, match="paslon nomor \\[4\\] tidak ada"):
        call_command("import_results", "--election", "uji", "--format", "csv", str(path))
    assert not TpsResult.objects.exists()
