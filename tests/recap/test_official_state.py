"""Official (Sirekap/KPU) rows are never "verified" (two of our clerks agreed): state ``official``,
"Resmi (diterbitkan KPU)", counted in the tallies as before; old rows migrated."""

import importlib
import json

from django.apps import apps
from django.core.management import call_command

from kawaltps.core.wording import VALUE_LABELS
from kawaltps.recap.labels import label
from kawaltps.results.models import RegionTally, State, TpsResult
from kawaltps.results.tabulation import rebuild_tallies

from .conftest import FILES, result

CSV = "kode_tps,p1,p2,p3,sah,tidak_sah,total\n3175081001001,100,150,200,450,5,455\n" \
      "3175081001002,90,110,120,320,4,324\n"


def test_sirekap_rows_are_official_not_verified(sirekap_election, capsys):
    call_command("import_sirekap", "--election", "uji", str(FILES / "good"), "--json")
    capsys.readouterr()
    states = set(TpsResult.objects.filter(source="official").values_list("state", flat=True))
    assert states == {"official"}
    assert str(State("official").label) == "Resmi (diterbitkan KPU)" and "verif" not in label("official").lower()
    assert str(VALUE_LABELS["official"]) == "Resmi (diterbitkan KPU)"
    tally = RegionTally.objects.get(election=sirekap_election, source="official", code="31")
    assert tally.tps_entered == 6 and tally.tps_verified == 6  # counted exactly as before
    assert tally.votes == {"1": 680, "2": 220, "3": 1260}


def test_import_results_verified_official_rows_become_official_and_witness_rows_stay_verified(
        small_election, tmp_path, capsys):
    path = tmp_path / "kpu.csv"
    path.write_text(CSV)
    for _ in range(2):  # a new row (PostgreSQL: COPY path), then an existing one (the upsert path)
        call_command("import_results", "--election", "uji", "--format", "csv", "--source", "official",
                     "--verified", str(path), "--json")
        assert set(TpsResult.objects.filter(source="official").values_list("state", flat=True)) == {"official"}
        path.write_text(CSV.replace("100,150", "101,149"))
    call_command("import_results", "--election", "uji", "--format", "csv", "--source", "witness",
                 "--verified", str(path), "--json")
    assert set(TpsResult.objects.filter(source="witness").values_list("state", flat=True)) == {"verified"}
    capsys.readouterr()
    # not --verified: an official row stays "entered" (loaded, not checked)
    other = tmp_path / "kpu2.csv"
    other.write_text("kode_tps,p1,p2,p3,sah,tidak_sah,total\n3171011001001,1,2,3,6,0,6\n")
    call_command("import_results", "--election", "uji", "--format", "csv", "--source", "official", str(other),
                 "--json")
    assert TpsResult.objects.get(code="3171011001001", source="official").state == "entered"
    out = json.loads(capsys.readouterr().out)
    assert out["loaded"]["official"] == 1


def test_existing_verified_official_rows_are_migrated(small_election):
    e = small_election
    off = result(e, "3175081001001", (1, 2, 3), "official", "verified")
    wit = result(e, "3175081001001", (1, 2, 3), "witness", "verified")
    rebuild_tallies(e, "official")
    before = RegionTally.objects.get(election=e, source="official", code="31")
    migration = importlib.import_module("kawaltps.results.migrations.0007_official_rows_state_official")
    migration.forwards(apps, None)
    off.refresh_from_db()
    wit.refresh_from_db()
    assert (off.state, wit.state) == ("official", "verified")
    rebuild_tallies(e, "official")
    after = RegionTally.objects.get(election=e, source="official", code="31")
    assert (after.votes, after.tps_entered, after.tps_verified) == (before.votes, before.tps_entered,
                                                                    before.tps_verified)
    migration.backwards(apps, None)
    off.refresh_from_db()
    assert off.state == "verified"
