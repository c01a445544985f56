"""`kawaltps import-dhasil`: the documented CSV, bad rows reported, history kept."""

import json

import pytest
from django.core.management import call_command

from kawaltps.audit.models import ChangeRecord
from kawaltps.recap.models import DHasil


def run(capsys, *args):
    call_command("import_dhasil", *map(str, args), "--json")
    return json.loads(capsys.readouterr().out)


def test_imports_kecamatan_rows_and_reports_bad_ones(small_election, capsys, tmp_path):
    f = tmp_path / "kec.csv"
    f.write_text(
        "kode,paslon_1,paslon_2,paslon_3,sah,tidak_sah\n"
        "31.75.08,41234,9876,60211,111321,2311\n"  # good (dotted)
        "317101,10,20,30,,\n"  # good (no sah)
        "3175,1,2,3,6,0\n"  # a kota code at the kecamatan tier
        "317599,1,2,3,6,0\n"  # unknown region
        "317508,1,dua,3,6,0\n"  # not a number
        "317508,1,-2,3,6,0\n"  # negative
        "327101,1,2,3,6,0\n"  # outside the election (Jawa Barat)
    )
    out = run(capsys, "--election", "uji", "--tier", "kecamatan", f)
    assert out["saved"] == 2 and sorted(out["codes"]) == ["317101", "317508"]
    reasons = {e["line"]: e["reason"] for e in out["errors"]}
    assert "bukan kode kecamatan (6 digit)" in reasons[4]
    assert "wilayah 317599 tidak dikenal" in reasons[5]
    assert "suara paslon 02 harus berupa angka bulat" in reasons[6]
    assert "suara paslon 02 tidak boleh negatif" in reasons[7]
    assert "di luar wilayah pemilihan" in reasons[8]
    d = DHasil.objects.get(code="317508")
    assert d.votes == {"1": 41234, "2": 9876, "3": 60211} and d.valid == 111321 and d.invalid == 2311
    assert d.tier == "kecamatan" and d.source == "kec.csv"
    assert DHasil.objects.get(code="317101").valid is None


def test_reimport_records_before_and_after(small_election, capsys, tmp_path):
    f = tmp_path / "kota.csv"
    f.write_text("kode,paslon_1,paslon_2,paslon_3\n3175,100,200,300\n")
    run(capsys, "--election", "uji", "--tier", "kota", f)
    f.write_text("kode,paslon_1,paslon_2,paslon_3\n3175,150,200,250\n")
    run(capsys, "--election", "uji", "--tier", "kabkota", f)
    recs = list(ChangeRecord.objects.filter(code="3175", subject="recap.DHasil"))
    assert [r.action for r in recs] == ["dhasil_entered", "dhasil_changed"]
    assert recs[1].before["votes"] == {"1": 100, "2": 200, "3": 300}
    assert recs[1].after["votes"] == {"1": 150, "2": 200, "3": 250}
    assert recs[1].actor == "import-dhasil"


def test_missing_column_refuses_the_file_and_changes_nothing(small_election, capsys, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("kode,paslon_1,paslon_2\n317508,1,2\n")
    with pytest.raises(SystemExit):
        call_command("import_dhasil", "--election", "uji", "--tier", "kecamatan", str(f), "--json")
    assert "kolom wajib tidak ada: paslon_3" in json.loads(capsys.readouterr().out)["error"]
    with pytest.raises(SystemExit):
        call_command("import_dhasil", "--election", "uji", "--tier", "desa", str(f), "--json")
    assert "tingkat tidak dikenal" in json.loads(capsys.readouterr().out)["error"]
    assert DHasil.objects.count() == 0
