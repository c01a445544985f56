"""Sirekap's per-TPS pages mapped to the C.Hasil form's fields and run through the same checks
(results.checks.run_checks) as any other source (issue 11 item 3)."""

import json

from django.core.management import call_command

from kawaltps.recap.sirekap import form_numbers, tps_page
from kawaltps.results.checks import RULES_BY_CODE
from kawaltps.results.models import TpsResult

KEYS = {1: "1000023", 2: "1000024", 3: "1000025"}


def test_administrasi_keys_become_form_keys():
    got = form_numbers({"pemilih_dpt_j": 300, "pengguna_non_dpt_l": 2, "pengguna_total_j": 250, "suara_sah": 240,
                        "pengguna_dptb_j": None})  # fmt: skip
    assert got == {"dpt_j": 300, "pengguna_dpk_l": 2, "pengguna_total_j": 250, "suara_sah": 240}


def test_a_sirekap_page_whose_arithmetic_fails_is_flagged_like_a_saksi_form(sirekap_election, tmp_path, capsys):
    good = {"suara_sah": 30, "suara_tidak_sah": 2, "suara_total": 32, "pengguna_total_j": 32, "pemilih_dpt_j": 50}
    bad = {**good, "suara_sah": 35}  # the paslon add up to 30, not 35
    for code, adm in (("3175081001001", good), ("3175081001002", bad)):
        doc = tps_page(KEYS, {"1": 10, "2": 10, "3": 10}, administrasi=adm)
        (tmp_path / f"{code}.json").write_text(json.dumps(doc))
    call_command("import_sirekap", "--election", "uji", str(tmp_path), "--json")
    capsys.readouterr()
    ok = TpsResult.objects.get(source="official", code="3175081001001")
    wrong = TpsResult.objects.get(source="official", code="3175081001002")
    assert ok.numbers["dpt_j"] == 50 and "paslon_tidak_sama_sah" not in ok.flags
    assert wrong.flagged and "paslon_tidak_sama_sah" in wrong.flags  # the same rule a saksi's form meets
    assert all(c in RULES_BY_CODE for c in wrong.flags)


def test_sirekap_region_pages_against_the_sum_of_its_tps_pages(sirekap_election):
    import polars as pl

    from kawaltps.recap import children, engine

    n = [1, 2, 3]
    tps = engine.votes_frame(["3175081001001", "3175081001002", "3175081002001"], [{"1": 1, "2": 2, "3": 3}] * 3, n)
    pages = engine.votes_frame(["3175081001", "3175081002", "317508"], [
        {"1": 2, "2": 4, "3": 6},  # = its TPS
        {"1": 9, "2": 2, "3": 3},  # the region page shows 8 more for 01 than its one TPS
        {"1": 3, "2": 6, "3": 9},  # kecamatan: a 4th TPS (kel. 003) has no numbers: skipped
    ], n)  # fmt: skip
    codes = pl.DataFrame({"code": ["3175081001001", "3175081001002", "3175081002001", "3175081003001"]})
    found, skipped = children.compare_region_pages(pages, tps, n, codes)
    rec = engine.as_records(found, n)
    assert [(r["code"], r["deltas"]) for r in rec] == [("3175081002", {"1": 8, "2": 0, "3": 0})]
    assert skipped == 1
