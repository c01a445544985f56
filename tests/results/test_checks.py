"""The arithmetic rules of a C.Hasil: each named rule fails on the mistake it names and only then."""

from types import SimpleNamespace

import pytest

from kawaltps.results.checks import RULES, message, run_checks

from .helpers import good_form

ELECTION = SimpleNamespace(max_dpt_per_tps=600)
TPS = SimpleNamespace(dpt=510)


def codes(votes, numbers, election=ELECTION, tps=TPS):
    return [f.code for f in run_checks(election, tps, votes, numbers)]


def test_good_form_passes_every_rule():
    votes, numbers = good_form()
    assert codes(votes, numbers) == []


def test_rules_are_named_with_indonesian_messages_and_docstrings():
    assert len({r.code for r in RULES}) == len(RULES) >= 10
    for rule in RULES:
        assert rule.check.__doc__, rule.code
        assert str(rule.message)[0].isupper()
    assert "paslon" in message("paslon_tidak_sama_sah")
    assert "TPS lain" in message("foto_duplikat")


@pytest.mark.parametrize(
    "change, code",
    [
        ({"votes": {"1": 121}}, "paslon_tidak_sama_sah"),
        ({"suara_total": 311}, "sah_tidak_sah_total"),
        ({"pengguna_total_j": 309, "pengguna_total_l": 154}, "suara_tidak_sama_pemilih"),
        ({"pengguna_dpk_j": 2, "pengguna_dpk_p": 1}, "pengguna_tidak_seimbang"),
        ({"pengguna_dpt_l": 251}, "pemilih_melebihi_daftar"),
        ({"surat_digunakan": 300, "surat_tidak_digunakan": 221}, "surat_digunakan_tidak_sama"),
        ({"surat_rusak": 5}, "surat_tidak_seimbang"),
        ({"dpt_p": 400, "dpt_j": 650}, "dpt_melebihi_batas"),
        ({"dpt_p": 261, "dpt_j": 511}, "dpt_beda_daftar"),
        ({"pengguna_disabilitas_j": 3}, "lpj_tidak_seimbang"),
        ({"surat_rusak": -1, "surat_tidak_digunakan": 216}, "angka_mustahil"),
    ],
)
def test_each_rule_catches_its_mistake(change, code):
    votes, numbers = good_form()
    votes = {**votes, **change.pop("votes", {})}
    numbers = {**numbers, **change}
    failures = run_checks(ELECTION, TPS, votes, numbers)
    assert code in [f.code for f in failures]
    failure = next(f for f in failures if f.code == code)
    assert failure.detail and failure.message


def test_voters_above_dpt_is_flagged():
    votes, numbers = good_form(dpt_l=100, dpt_p=100)
    assert "pemilih_melebihi_daftar" in codes(votes, numbers, tps=SimpleNamespace(dpt=200))


def test_legal_maximum_comes_from_the_election():
    votes, numbers = good_form()  # DPT 510
    assert "dpt_melebihi_batas" not in codes(votes, numbers)
    assert "dpt_melebihi_batas" in codes(votes, numbers, election=SimpleNamespace(max_dpt_per_tps=300))


def test_partial_form_is_not_flagged_for_what_is_missing():
    assert codes({"1": 5, "2": 6}, {"suara_sah": 11}) == []
    assert codes({"1": 5, "2": 6}, {"suara_sah": 12}) == ["paslon_tidak_sama_sah"]
