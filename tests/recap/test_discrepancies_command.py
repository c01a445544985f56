"""`kawaltps discrepancies --json` on a small election built through the real storage."""

import json

import pytest
from django.core.management import call_command

from kawaltps.recap.models import Discrepancy
from kawaltps.results.models import TpsResult


def test_json_lists_every_step_with_deltas(loaded, capsys):
    call_command("discrepancies", "--election", "uji", "--json")
    out = json.loads(capsys.readouterr().out)
    got = {(d["step"], d.get("tps") or d.get("region")): d for d in out}
    assert set(got) == {("tps_sirekap", "3175081001001"), ("tps_kecamatan", "317101"), ("kabkota_provinsi", "31")}
    assert got[("tps_sirekap", "3175081001001")]["deltas"] == {"1": 10, "2": 0, "3": -10}
    assert got[("tps_kecamatan", "317101")]["deltas"] == {"1": -3, "2": 0, "3": 0}
    assert got[("tps_kecamatan", "317101")]["region"] == "317101"
    assert got[("kabkota_provinsi", "31")]["deltas"] == {"1": 0, "2": 0, "3": 5}
    assert [d["votes_moved"] for d in out] == sorted((d["votes_moved"] for d in out), reverse=True)
    assert Discrepancy.objects.count() == 3


def test_include_entered_compares_unverified_witness_numbers(loaded, capsys):
    call_command("discrepancies", "--election", "uji", "--include-entered", "--json")
    out = json.loads(capsys.readouterr().out)
    tps = {d["tps"]: d["deltas"] for d in out if "tps" in d}
    assert tps == {"3175081001001": {"1": 10, "2": 0, "3": -10}, "3175081002002": {"1": 0, "2": 4, "3": 0}}


def test_changed_after_publication_and_recompute_replaces(loaded, capsys):
    call_command("discrepancies", "--election", "uji", "--json")
    capsys.readouterr()
    TpsResult.objects.filter(source="official", code="3175081001001").update(votes={"1": 100, "2": 20, "3": 200})
    call_command("discrepancies", "--election", "uji", "--json")
    out = json.loads(capsys.readouterr().out)
    assert "3175081001001" not in {d.get("tps") for d in out}
    assert Discrepancy.objects.filter(step="tps_sirekap").count() == 0


def test_text_output_and_unknown_election(loaded, capsys):
    call_command("discrepancies", "--election", "uji")
    text = capsys.readouterr().out
    assert "3 selisih" in text and "3175081001001" in text
    with pytest.raises(SystemExit):
        call_command("discrepancies", "--election", "nope", "--json")
    assert "tidak ada" in json.loads(capsys.readouterr().out)["error"]
