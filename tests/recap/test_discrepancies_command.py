"""`kawaltps discrepancies --json` on a small election built through the real storage."""

import json

import pytest
from django.core.management import call_command

from kawaltps.recap.models import Discrepancy
from kawaltps.results.models import TpsResult


def test_json_lists_every_step_with_deltas(loaded, capsys):
    call_command("discrepancies", "--election", "uji", "--json")
    out = json.loads(capsys.readouterr().out)["discrepancies"]
    got = {(d["step"], d.get("tps") or d.get("region")): d for d in out}
    assert set(got) == {
        ("tps_sirekap", "3175081001001"),
        ("tps_kecamatan", "317101"),
        ("tps_kecamatan_saksi", "317101"),  # our coverage of 317101 is complete; 317508 has an entered-only TPS
        ("kabkota_provinsi", "31"),
    }
    assert got[("tps_kecamatan_saksi", "317101")]["deltas"] == {"1": -3, "2": 0, "3": 0}
    assert got[("tps_sirekap", "3175081001001")]["deltas"] == {"1": 10, "2": 0, "3": -10}
    assert got[("tps_kecamatan", "317101")]["deltas"] == {"1": -3, "2": 0, "3": 0}
    assert got[("tps_kecamatan", "317101")]["region"] == "317101"
    assert got[("kabkota_provinsi", "31")]["deltas"] == {"1": 0, "2": 0, "3": 5}
    assert [d["votes_moved"] for d in out] == sorted((d["votes_moved"] for d in out), reverse=True)
    assert Discrepancy.objects.count() == 4


def test_include_entered_compares_unverified_witness_numbers(loaded, capsys):
    call_command("discrepancies", "--election", "uji", "--include-entered", "--json")
    out = json.loads(capsys.readouterr().out)["discrepancies"]
    tps = {d["tps"]: d["deltas"] for d in out if "tps" in d}
    assert tps == {"3175081001001": {"1": 10, "2": 0, "3": -10}, "3175081002002": {"1": 0, "2": 4, "3": 0}}


def test_changed_after_publication_and_recompute_replaces(loaded, capsys):
    call_command("discrepancies", "--election", "uji", "--json")
    capsys.readouterr()
    TpsResult.objects.filter(source="official", code="3175081001001").update(votes={"1": 100, "2": 20, "3": 200})
    call_command("discrepancies", "--election", "uji", "--json")
    out = json.loads(capsys.readouterr().out)["discrepancies"]
    assert "3175081001001" not in {d.get("tps") for d in out}
    assert Discrepancy.objects.filter(step="tps_sirekap").count() == 0


def test_text_output_and_unknown_election(loaded, capsys):
    call_command("discrepancies", "--election", "uji")
    text = capsys.readouterr().out
    assert "4 selisih" in text and "3175081001001" in text
    with pytest.raises(SystemExit):
        call_command("discrepancies", "--election", "nope", "--json")
    assert "tidak ada" in json.loads(capsys.readouterr().out)["error"]


def test_a_finding_keeps_its_id_across_recomputes_and_json_shows_it(loaded, capsys, tmp_path):
    call_command("discrepancies", "--election", "uji", "--json")
    first = {d["key"]: d["id"] for d in json.loads(capsys.readouterr().out)["discrepancies"]}
    assert set(first) == {
        "tps_sirekap:3175081001001", "tps_kecamatan:317101", "tps_kecamatan_saksi:317101", "kabkota_provinsi:31"
    }  # fmt: skip
    assert all(isinstance(i, int) for i in first.values())
    # a change elsewhere adds a finding; the others keep their ids through two recomputes
    TpsResult.objects.filter(source="official", code="3175081001002").update(votes={"1": 51, "2": 10, "3": 59})
    call_command("discrepancies", "--election", "uji", "--json")
    capsys.readouterr()
    call_command("discrepancies", "--election", "uji", "--json")
    second = {d["key"]: d["id"] for d in json.loads(capsys.readouterr().out)["discrepancies"]}
    assert {k: second[k] for k in first} == first
    assert "tps_sirekap:3175081001002" in second
    assert Discrepancy.objects.filter(pk=first["tps_kecamatan:317101"]).exists()
    # the dossier of a finding by its id still works after the recomputes
    call_command(
        "dossier", "--election", "uji", "--discrepancy", str(first["tps_sirekap:3175081001001"]),
        "--out", str(tmp_path), "--json",
    )  # fmt: skip
    assert json.loads(capsys.readouterr().out)["path"].endswith("berkas-bukti-uji-3175081001001.zip")
    # a finding whose numbers change is the same finding, updated in place
    TpsResult.objects.filter(source="official", code="3175081001001").update(votes={"1": 115, "2": 20, "3": 185})
    call_command("discrepancies", "--election", "uji", "--json")
    rows = {d["key"]: d for d in json.loads(capsys.readouterr().out)["discrepancies"]}
    assert rows["tps_sirekap:3175081001001"]["id"] == first["tps_sirekap:3175081001001"]
    assert rows["tps_sirekap:3175081001001"]["deltas"] == {"1": 15, "2": 0, "3": -15}
    assert Discrepancy.objects.get(pk=first["tps_sirekap:3175081001001"]).votes_moved == 15
    # a finding that vanishes is deleted; the same finding coming back is a new row
    TpsResult.objects.filter(source="official", code="3175081001001").update(votes={"1": 100, "2": 20, "3": 200})
    call_command("discrepancies", "--election", "uji", "--json")
    third = {d["key"]: d["id"] for d in json.loads(capsys.readouterr().out)["discrepancies"]}
    assert "tps_sirekap:3175081001001" not in third
    assert third["tps_kecamatan:317101"] == first["tps_kecamatan:317101"]
    assert not Discrepancy.objects.filter(pk=first["tps_sirekap:3175081001001"]).exists()


def test_api_rows_carry_the_stable_id_and_key(loaded, client, users):
    from kawaltps.recap.discrepancies import recompute

    recompute(loaded)
    client.force_login(users["admin"])
    rows = client.get("/api/recap/discrepancies", {"election": "uji"}).json()
    assert {r["key"]: r["id"] for r in rows} == dict(Discrepancy.objects.values_list("key", "pk"))


def test_entered_but_unverified_witness_numbers_are_counted_not_silently_skipped(small_election, capsys):
    from .conftest import WITNESS, result

    e = small_election
    for code, v in WITNESS.items():
        result(e, code, v, "witness", "entered")
        result(e, code, (v[0] + 1, v[1], v[2] - 1), "official", "verified")
    call_command("discrepancies", "--election", "uji", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["discrepancies"] == []
    assert out["tps"] == 6 and out["tps_compared"] == 0
    entered = [x for x in out["not_compared"] if x["reason"] == "witness_entered"]
    assert entered and entered[0]["n"] == 6 and "--include-entered" in entered[0]["text"]
    call_command("discrepancies", "--election", "uji")
    text = capsys.readouterr().out
    assert "TPS dibandingkan (C.Hasil saksi vs resmi): 0 dari 6" in text
    assert "6 TPS: C.Hasil saksi baru dientri, belum terverifikasi" in text and "--include-entered" in text
    call_command("discrepancies", "--election", "uji", "--include-entered", "--json")
    out = json.loads(capsys.readouterr().out)
    assert len(out["discrepancies"]) == 6 and out["tps_compared"] == 6 and out["not_compared"] == []


def test_not_compared_reasons_are_counted_per_tps(loaded, capsys):
    TpsResult.objects.filter(source="official", code="3171011001002").delete()
    TpsResult.objects.filter(source="witness", code="3171011001001").update(state="disputed")
    call_command("discrepancies", "--election", "uji", "--json")
    out = json.loads(capsys.readouterr().out)
    reasons = {x["reason"]: x["n"] for x in out["not_compared"] if x["step"] == "tps_sirekap"}
    assert reasons == {"no_official": 1, "witness_entered": 1, "witness_disputed": 1}
    assert out["tps_compared"] == 3 and out["tps"] == 6


def test_a_kept_finding_keeps_when_it_was_first_found_and_every_row_has_the_run_time(loaded):
    from datetime import timedelta

    from kawaltps.recap.discrepancies import recompute

    objs, _ = recompute(loaded)
    assert sorted(d.key for d in objs) == sorted(Discrepancy.objects.values_list("key", flat=True))
    key = "tps_sirekap:3175081001001"
    old = Discrepancy.objects.get(key=key)
    long_ago = old.first_found_at - timedelta(days=3)
    Discrepancy.objects.filter(pk=old.pk).update(first_found_at=long_ago, computed_at=long_ago, votes_moved=0)
    TpsResult.objects.filter(source="official", code="3175081001002").update(votes={"1": 51, "2": 10, "3": 59})
    objs, _ = recompute(loaded)
    rows = {d.key: d for d in objs}
    stored = {d.key: d for d in Discrepancy.objects.all()}
    assert set(rows) == set(stored) and "tps_sirekap:3175081001002" in stored
    kept = stored[key]
    assert kept.pk == old.pk and kept.first_found_at == long_ago  # kept: the first time stays
    assert kept.votes_moved == old.votes_moved  # its values are the run's, not what was stored
    assert len({d.computed_at for d in stored.values()}) == 1 and kept.computed_at > long_ago
    new = stored["tps_sirekap:3175081001002"]
    assert new.first_found_at > long_ago
    # the rows returned are the stored ones: same ids and values
    assert {k: (d.pk, d.deltas, d.votes_moved, d.detail) for k, d in rows.items()} == {
        k: (d.pk, d.deltas, d.votes_moved, d.detail) for k, d in stored.items()
    }
