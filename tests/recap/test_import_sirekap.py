"""`kawaltps import-sirekap`: real-shaped pages, snapshots kept, bad files reported and nothing touched."""

import json
import shutil

import pytest
from django.core.management import call_command

from kawaltps.audit.models import ChangeRecord
from kawaltps.recap.models import RegionSnapshot, SirekapSnapshot
from kawaltps.results.models import Submission, TpsResult

from .conftest import FILES


def run(capsys, *args):
    call_command("import_sirekap", *map(str, args), "--json")
    return json.loads(capsys.readouterr().out)


def test_imports_a_directory_laid_out_as_the_site(sirekap_election, capsys):
    out = run(capsys, "--election", "uji", FILES / "good")
    assert out["counts"] == {"new": 7}
    assert out["errors"] == []
    snap = SirekapSnapshot.objects.get(code="3175081001001")
    assert snap.votes == {"1": 120, "2": 40, "3": 200}
    assert snap.valid == 360 and snap.invalid == 4 and snap.total == 364
    assert snap.administrasi["pengguna_dptb_j"] == 3
    assert snap.images[0].endswith("3175081001001-1.jpg") and snap.images[2] is None
    assert snap.sirekap_ts.isoformat() == "2024-11-28T03:00:00+00:00"  # 10:00 WIB
    assert len(snap.sha256) == 64 and snap.tps.code == "3175081001001"
    official = TpsResult.objects.get(code="3175081001001", source="official")
    assert official.votes == {"1": 120, "2": 40, "3": 200} and official.valid == 360
    assert TpsResult.objects.filter(source="official").count() == 6
    assert Submission.objects.filter(kind="import").count() == 6
    region = RegionSnapshot.objects.get(code="317508")
    assert region.votes == {"1": 390, "2": 175, "3": 890}
    assert region.table["3175081001"] == {"1": 210, "2": 75, "3": 430}
    assert (region.progress_done, region.progress_total) == (4, 4)


def test_reimport_is_unchanged_and_a_later_version_is_kept_and_flagged(sirekap_election, capsys):
    run(capsys, "--election", "uji", FILES / "good")
    again = run(capsys, "--election", "uji", FILES / "good")
    assert again["counts"] == {"unchanged": 7}
    assert SirekapSnapshot.objects.count() == 6
    later = run(capsys, "--election", "uji", FILES / "later")
    assert later["counts"] == {"changed": 1}
    assert later["changed"][0]["code"] == "3175081001001"
    versions = list(SirekapSnapshot.objects.filter(code="3175081001001").order_by("sirekap_ts"))
    assert [v.votes for v in versions] == [{"1": 120, "2": 40, "3": 200}, {"1": 130, "2": 40, "3": 190}]
    assert [v.changed for v in versions] == [False, True]
    official = TpsResult.objects.get(code="3175081001001", source="official")
    assert official.votes == {"1": 130, "2": 40, "3": 190} and official.version == 2
    rec = ChangeRecord.objects.filter(code="3175081001001", action="official_from_sirekap").last()
    assert rec.before["votes"] == {"1": 120, "2": 40, "3": 200} and rec.after["votes"]["1"] == 130


def test_an_older_version_imported_late_does_not_overwrite_the_newer(sirekap_election, capsys):
    run(capsys, "--election", "uji", FILES / "later")
    run(capsys, "--election", "uji", FILES / "good")
    official = TpsResult.objects.get(code="3175081001001", source="official")
    assert official.votes == {"1": 130, "2": 40, "3": 190}


def test_presidential_shape_and_a_page_not_yet_processed(pres_election, capsys):
    out = run(capsys, "--election", "uji", FILES / "ppwp")
    assert out["counts"] == {"new": 2}
    snap = SirekapSnapshot.objects.get(code="3175081001001")
    assert snap.votes == {"1": 60, "2": 150, "3": 40}
    assert snap.status_adm is False and snap.valid == 250
    empty = SirekapSnapshot.objects.get(code="3175081001002")
    assert empty.votes == {} and empty.administrasi == {}
    # no numbers yet → no official result for it
    assert list(TpsResult.objects.filter(source="official").values_list("code", flat=True)) == ["3175081001001"]


REASONS = {
    "missing_chart": "kunci 'tungsura.chart' tidak ada",
    "null_vote": "suara paslon 02 (1000024) kosong (null)",
    "string_vote": "suara paslon 03 (1000025) bukan angka: '210'",
    "unknown_tps": "TPS 3175089999001 tidak ada dalam pemilihan uji",
    "truncated": "JSON tidak sah atau terpotong",
    "string_adm": "administrasi 'suara_sah' bukan angka: 'enam'",
}


def test_bad_files_are_reported_each_with_its_reason_and_nothing_else_changes(sirekap_election, capsys, tmp_path):
    run(capsys, "--election", "uji", FILES / "good")
    before = (SirekapSnapshot.objects.count(), TpsResult.objects.count(), ChangeRecord.objects.count())
    bad = sorted((FILES / "bad").rglob("*.json"))
    good_later = FILES / "later"
    out = run(capsys, "--election", "uji", *bad, good_later)
    assert out["counts"] == {"error": 6, "changed": 1}
    by_dir = {e["file"].split("/")[-2]: e["reason"] for e in out["errors"]}
    for name, reason in REASONS.items():
        assert reason in by_dir[name], (name, by_dir[name])
    # only the good later file changed anything
    assert SirekapSnapshot.objects.count() == before[0] + 1
    assert TpsResult.objects.count() == before[1]
    assert TpsResult.objects.get(code="3175081001002", source="official").votes == {
        "1": 90,
        "2": 35,
        "3": 230,
    }


def test_unknown_election_and_missing_path_are_clear_errors(sirekap_election, capsys):
    with pytest.raises(SystemExit):
        call_command("import_sirekap", "--election", "tidak-ada", str(FILES / "good"), "--json")
    assert "pemilihan 'tidak-ada' tidak ada" in json.loads(capsys.readouterr().out)["error"]
    with pytest.raises(SystemExit):
        call_command("import_sirekap", "--election", "uji", "/tidak/ada.json", "--json")
    assert "tidak ditemukan" in json.loads(capsys.readouterr().out)["error"]
    assert SirekapSnapshot.objects.count() == 0


def test_a_tps_page_under_a_region_name_is_refused(sirekap_election, capsys, tmp_path):
    src = FILES / "good/pilkada/hhcw/pkwkp/31/3175/317508/3175081001/3175081001001.json"
    shutil.copy(src, tmp_path / "317508.json")
    out = run(capsys, "--election", "uji", tmp_path / "317508.json")
    assert out["counts"] == {"error": 1}
    assert "tanpa 'table'" in out["errors"][0]["reason"]


def test_the_original_bytes_are_kept_and_match_the_hash(sirekap_election, capsys):
    import hashlib

    run(capsys, "--election", "uji", FILES / "good")
    snap = SirekapSnapshot.objects.get(code="3171011001002")
    path = FILES / "good/pilkada/hhcw/pkwkp/31/3171/317101/3171011001/3171011001002.json"
    assert bytes(snap.raw_bytes) == path.read_bytes()
    assert hashlib.sha256(bytes(snap.raw_bytes)).hexdigest() == snap.sha256


def test_jakarta_2024_provincial_page_of_28_november(sirekap_election, capsys, tmp_path):
    """Sirekap's provisional count of 28 Nov 2024 10:00 (DOMAIN.md) in the Pilkada region shape."""
    page = {
        "mode": "hhcw",
        "psu": None,
        "ts": "2024-11-28 10:00:00",
        "progres": {"total": 14835, "progres": 14120},
        "tungsura": {
            "chart": {
                "1000023": 1717245,
                "1000024": 458886,
                "1000025": 2181939,
                "progres": {"total": 14835, "persen": 95.18, "progres": 14120},
            },
            "table": {
                "3171": {
                    "psu": None,
                    "1000023": 100,
                    "1000024": 20,
                    "1000025": 300,
                    "progres": {"total": 1, "persen": 100.0, "progres": 1},
                    "status_progress": True,
                },
                "3101": {"psu": None, "1000023": None, "1000024": None, "1000025": None, "status_progress": False},
            },
        },
    }
    path = tmp_path / "pilkada/hhcw/pkwkp/31.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(page))
    out = run(capsys, "--election", "uji", tmp_path)
    assert out["counts"] == {"new": 1}
    region = RegionSnapshot.objects.get(code="31")
    assert region.votes == {"1": 1717245, "2": 458886, "3": 2181939}
    assert region.table == {"3171": {"1": 100, "2": 20, "3": 300}, "3101": {}}
    assert (region.progress_done, region.progress_total) == (14120, 14835)
