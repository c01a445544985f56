"""D.Hasil as the form is (issue 11 item 2): rows per kelurahan, DPT/voters/ballots, the form's arithmetic,
"voters unchanged but votes up" and "invalid down, paslon up"; bad input refused with nothing changed."""

import polars as pl
import pytest

from kawaltps.audit.models import ChangeRecord
from kawaltps.recap import children
from kawaltps.recap.dhasil import DHasilError, form_checks, import_csv, save_dhasil
from kawaltps.recap.discrepancies import recompute
from kawaltps.recap.models import DHasil, Discrepancy
from kawaltps.results.models import TpsResult

N = [1, 2, 3]


def test_form_arithmetic():
    v = {"1": 10, "2": 20, "3": 30}
    assert form_checks(v, valid=60, invalid=5, voters=65, dpt=100, ballots_used=65) == []
    assert form_checks(v, valid=61, invalid=5, voters=60, dpt=50, ballots_used=70) == [
        "valid_not_sum", "voters_not_valid_invalid", "voters_over_dpt", "ballots_not_voters"
    ]  # fmt: skip


def test_rows_patterns_on_hand_built_frames():
    tps = pl.DataFrame(
        {"code": ["3175081001001", "3175081001002", "3175081002001"], "c1": [10, 20, 5], "c2": [1, 2, 5],
         "c3": [0, 0, 5], "voters": [13, 25, 16], "invalid": [2, 3, 1]}
    )  # fmt: skip
    rows = pl.DataFrame(
        {"code": ["3175081001", "3175081002"], "c1": [36, 5], "c2": [3, 5], "c3": [0, 5],
         "voters": [38, 16], "invalid": [1, 1]}
    )  # fmt: skip
    found, skipped = children.compare_rows(rows, tps, N)
    assert skipped == 0
    kel = {r["code"]: r for r in found["dhasil_kelurahan"].to_dicts()}
    assert set(kel) == {"3175081001"} and kel["3175081001"]["d1"] == 6
    assert found["voters_same_votes_up"]["code"].to_list() == [
        "3175081001"
    ]
    assert found["invalid_down_paslon_up"]["code"].to_list() == ["3175081001"]  # invalid 5 → 1


@pytest.fixture
def admin_numbers(loaded):
    for r in TpsResult.objects.filter(election=loaded, source="official"):
        r.voters, r.invalid = sum(r.votes.values()) + 2, 2
        r.save()
    return loaded


def test_an_altered_kelurahan_inside_a_kecamatan_whose_total_is_right(admin_numbers):
    e = admin_numbers
    # Sirekap: kel 3175081001 = (160, 30, 250), voters 444, invalid 4; kel 3175081002 = (40, 44, 40)
    save_dhasil(e, "kecamatan", "317508", {"1": 200, "2": 74, "3": 290}, children={
        "3175081001": {"votes": {"1": 165, "2": 30, "3": 250}, "voters": 444, "invalid": 1},
        "3175081002": {"votes": {"1": 35, "2": 44, "3": 40}},
    })  # fmt: skip
    recompute(e)
    assert not Discrepancy.objects.filter(step="tps_kecamatan", code="317508").exists()  # the total is right
    got = {(d.step, d.code): d.deltas for d in Discrepancy.objects.filter(code__startswith="3175081")}
    assert got[("dhasil_kelurahan", "3175081001")] == {"1": 5, "2": 0, "3": 0}
    assert got[("dhasil_kelurahan", "3175081002")] == {"1": -5, "2": 0, "3": 0}
    assert ("voters_same_votes_up", "3175081001") in got and ("invalid_down_paslon_up", "3175081001") in got
    d = Discrepancy.objects.get(step="invalid_down_paslon_up")
    assert (d.detail["invalid_lower"], d.detail["invalid_upper"]) == (4, 1)


def test_rows_from_csv_and_stored_with_the_form(admin_numbers):
    csv = (
        b"kode,paslon_1,paslon_2,paslon_3,sah,tidak_sah,dpt,pengguna,surat_suara\n"
        b"31.75.08,200,74,290,564,10,900,574,574\n"
        b"3175081001,160,30,250,,,,,\n"
        b"3175081002,40,44,40,,,,,\n"
    )
    report = import_csv(admin_numbers, "kecamatan", csv)
    assert report.errors == [] and report.saved == ["317508"]
    d = DHasil.objects.get(code="317508")
    assert (d.dpt, d.voters, d.ballots_used, d.flags) == (900, 574, 574, [])
    assert d.children["3175081002"]["votes"] == {"1": 40, "2": 44, "3": 40}


def test_rows_that_do_not_add_up_and_a_region_without_tps_change_nothing(admin_numbers):
    e = admin_numbers
    before = DHasil.objects.get(code="317508").votes
    n_audit = ChangeRecord.objects.count()
    with pytest.raises(DHasilError, match="rincian tidak berjumlah sama: paslon 01"):
        save_dhasil(e, "kecamatan", "317508", {"1": 200, "2": 74, "3": 290}, children={
            "3175081001": {"votes": {"1": 100, "2": 30, "3": 250}},
            "3175081002": {"votes": {"1": 40, "2": 44, "3": 40}},
        })  # fmt: skip
    with pytest.raises(DHasilError, match="bukan wilayah di bawah 317508"):
        save_dhasil(e, "kecamatan", "317508", {"1": 1, "2": 1, "3": 1}, children={"3171011001": {"votes": {}}})
    with pytest.raises(DHasilError, match="tidak memiliki TPS"):
        save_dhasil(e, "kecamatan", "317509", {"1": 1, "2": 1, "3": 1})
    assert DHasil.objects.get(code="317508").votes == before and ChangeRecord.objects.count() == n_audit
    assert not DHasil.objects.filter(code="317509").exists()


def test_kota_and_province_rows_against_the_child_dhasil_hand_built():
    kec = pl.DataFrame({"code": ["317508", "317509"], "c1": [200, 10], "c2": [74, 10], "c3": [290, 10],
                        "voters": [600, 40], "invalid": [36, 10]})  # fmt: skip
    rows = pl.DataFrame({"code": ["317508", "317509", "317510"], "c1": [230, 10, 1], "c2": [74, 10, 1],
                         "c3": [290, 10, 1], "voters": [600, 40, 3], "invalid": [6, 10, 0]})  # fmt: skip
    found = children.compare_tier_rows(rows, kec, N, "dhasil_kecamatan_row")
    row = found["dhasil_kecamatan_row"].to_dicts()
    assert [(r["code"], r["d1"], r["d3"]) for r in row] == [("317508", 30, 0)]  # 317510 has no D.Hasil: skipped
    assert found["voters_same_votes_up"]["code"].to_list() == ["317508"]
    assert found["invalid_down_paslon_up"]["code"].to_list() == ["317508"]


def test_kota_and_province_rows_found_by_recompute(admin_numbers):
    e = admin_numbers
    # kecamatan D.Hasil 317508 = (200, 74, 290), voters 600, invalid 36; 317101 = (72, 12, 35)
    save_dhasil(e, "kecamatan", "317508", {"1": 200, "2": 74, "3": 290}, valid=564, invalid=36, voters=600)
    save_dhasil(e, "kabkota", "3175", {"1": 230, "2": 74, "3": 290}, valid=594, invalid=6, voters=600, children={
        "317508": {"votes": {"1": 230, "2": 74, "3": 290}, "voters": 600, "invalid": 6}})  # fmt: skip
    save_dhasil(e, "kabkota", "3171", {"1": 72, "2": 12, "3": 35}, voters=130, invalid=11)
    save_dhasil(e, "provinsi", "31", {"1": 302, "2": 86, "3": 325}, children={
        "3175": {"votes": {"1": 230, "2": 74, "3": 290}},
        "3171": {"votes": {"1": 72, "2": 12, "3": 35}, "voters": 130, "invalid": 11},
    })  # fmt: skip
    recompute(e)
    got = {(d.step, d.code): d.deltas for d in Discrepancy.objects.filter(election=e)}
    assert got[("dhasil_kecamatan_row", "317508")] == {"1": 30, "2": 0, "3": 0}
    assert ("voters_same_votes_up", "317508") in got and ("invalid_down_paslon_up", "317508") in got
    assert not any(s == "dhasil_kabkota_row" for s, _c in got)  # the province's rows equal each kota's D.Hasil
    save_dhasil(e, "provinsi", "31", {"1": 302, "2": 86, "3": 325}, children={
        "3175": {"votes": {"1": 235, "2": 74, "3": 285}},
        "3171": {"votes": {"1": 67, "2": 12, "3": 40}, "voters": 130, "invalid": 11},
    })  # fmt: skip
    recompute(e)
    got = {(d.step, d.code): d.deltas for d in Discrepancy.objects.filter(election=e, step="dhasil_kabkota_row")}
    assert got == {("dhasil_kabkota_row", "3175"): {"1": 5, "2": 0, "3": -5},
                   ("dhasil_kabkota_row", "3171"): {"1": -5, "2": 0, "3": 5}}  # fmt: skip
