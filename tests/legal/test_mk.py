"""The MK package: the Pemohon/Termohon table's sums, Pasal 158 on the official result, the
deadline, P-numbered evidence with hashes, refusals (nothing stored), permissions, the PDF's words."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kawaltps.audit.models import ChangeRecord
from kawaltps.legal import mk, pdf
from kawaltps.legal.models import MkPackage
from tests.pdftext import INTERNAL, LONG_DATE, text_of

from .conftest import TPS_IN

ANNOUNCED = datetime.date(2024, 12, 6)


def test_table_sums_ours_against_kpu_per_kelurahan(loaded):
    tab = mk.table(loaded, "31")
    rows = {r["code"]: r for r in tab["rows"]}
    assert list(rows) == ["3171011001", "3175081001", "3175081002"]
    a = rows["3175081001"]
    assert a["ours"] == {"1": 150, "2": 30, "3": 260} and a["kpu"] == {"1": 160, "2": 30, "3": 250}
    assert a["diff"] == {"1": -10, "2": 0, "3": 10} and a["tps"] == 2 and a["ours_tps"] == 2
    # TPS 002 only entered on our side: not ours yet, so Pemohon takes KPU's 10/14/10 there (not disputed)
    b = rows["3175081002"]
    assert b["ours"] == {"1": 40, "2": 44, "3": 40} and b["ours_tps"] == 1 and b["kpu"] == {"1": 40, "2": 44, "3": 40}
    assert b["diff"] == {"1": 0, "2": 0, "3": 0}
    assert tab["total"]["ours"] == {"1": 265, "2": 86, "3": 335}
    assert tab["total"]["kpu"] == {"1": 275, "2": 86, "3": 325}
    assert tab["total"]["diff"] == {"1": -10, "2": 0, "3": 10}
    assert tab["differing_tps"] == [TPS_IN]
    assert tab["total"]["tps"] == 6 and tab["total"]["ours_tps"] == 5
    by_tps = mk.table(loaded, "3175", 13)
    assert [r["code"] for r in by_tps["rows"]][:1] == [TPS_IN]
    assert by_tps["rows"][0]["diff"] == {"1": -10, "2": 0, "3": 10}
    assert by_tps["rows"][0]["name"] == "TPS 001 Kelurahan Makasar, Kecamatan Makasar"


def test_package_threshold_deadline_and_p_numbers(users, loaded, witness_photo, dhasil_photo):
    pkg = mk.build_package(users["legal"], loaded, "31", "2024-12-06", population="11350328")
    d = pkg.data
    assert pkg.deadline == datetime.date(2024, 12, 11)
    # the official result is the D.Hasil provinsi 272 / 86 / 330: pair 3 leads pair 1 by 58 of 688 valid
    assert d["winner"] == 3 and d["petitioner"] == 1 and d["margin"] == 58
    assert d["threshold"]["permille"] == 10 and d["threshold"]["threshold_votes"] == pytest.approx(6.88)
    assert d["threshold"]["eligible"] is False
    ev = d["evidence"]
    assert [x["number"] for x in ev] == [f"P-{n}" for n in range(1, len(ev) + 1)]
    assert ev[0]["sha256"] == dhasil_photo.sha256 and ev[0]["file"] == "P-1.png"
    assert ev[1]["sha256"] == witness_photo[TPS_IN].sha256 and ev[1]["file"] == "P-2.jpg"
    assert witness_photo["3171011001001"].sha256 not in {x["sha256"] for x in ev}  # that TPS does not differ
    rec = ChangeRecord.objects.get(action="legal.mk_create")
    assert rec.after["deadline"] == "2024-12-11" and rec.after["eligible"] is False


def test_a_small_margin_is_eligible(users, loaded):
    pkg = mk.build_package(users["admin"], loaded, "31", ANNOUNCED, population=1_000_000, petitioner=1)
    assert pkg.data["threshold"]["permille"] == 20  # 2 % of 688 = 13.76 < 58: still not eligible
    assert pkg.data["threshold"]["eligible"] is False
    from kawaltps.recap.dhasil import save_dhasil

    save_dhasil(loaded, "provinsi", "31", {"1": 325, "2": 86, "3": 330})  # now 5 votes apart
    pkg = mk.build_package(users["admin"], loaded, "31", ANNOUNCED, population=1_000_000)
    assert pkg.data["margin"] == 5 and pkg.data["threshold"]["eligible"] is True


@pytest.mark.parametrize("region,day,population,message", [
    ("3101", "2024-12-06", None, "tidak punya TPS"),  # Kepulauan Seribu: no TPS in this election
    ("32", "2024-12-06", None, "di luar wilayah"),
    ("31a", "2024-12-06", None, "Kode wilayah permohonan MK harus"),
    ("317508", "2024-12-06", None, "Kode wilayah permohonan MK harus"),
    ("31", "2024-13-01", None, "Tanggal pengumuman KPU tidak sah"),
    ("31", "kemarin", None, "Tanggal pengumuman KPU tidak sah"),
    ("31", "2024-12-06", "sejuta", "Jumlah penduduk"),
])
def test_bad_input_refused_nothing_stored(users, loaded, region, day, population, message):
    audit = ChangeRecord.objects.count()
    with pytest.raises(ValidationError) as exc:
        mk.build_package(users["legal"], loaded, region, day, population=population)
    assert message in " ".join(exc.value.messages)
    assert MkPackage.objects.count() == 0 and ChangeRecord.objects.count() == audit


@pytest.mark.parametrize("role", ["saksi", "clerk", "observer", "koordinator", "trainer"])
def test_only_legal_and_admin_build(users, loaded, role):
    with pytest.raises(PermissionDenied):
        mk.build_package(users[role], loaded, "3175", ANNOUNCED)
    assert MkPackage.objects.count() == 0


def test_pdf_text_has_no_codes_and_writes_dates_out(users, loaded, witness_photo, dhasil_photo):
    pkg = mk.build_package(users["legal"], loaded, "31", ANNOUNCED, population=11_350_328)
    text = text_of(pdf.mk_pdf(pkg, now=datetime.datetime(2024, 12, 7, 3, 0, tzinfo=datetime.UTC)))
    assert "BERKAS PERMOHONAN PERSELISIHAN HASIL PEMILIHAN" in text
    assert "6 Desember 2024" in text and "11 Desember 2024" in text and "7 Desember 2024 10.00 WIB" in text
    assert "Provinsi DKI Jakarta" in text and "Kelurahan Makasar, Kecamatan Makasar" in text
    assert "Paslon 01 Pemohon" in text and "Paslon 03" in text
    assert "ambang batasnya 1,0% dari suara sah (UU 10/2016 Pasal 158 ayat (1))" in text
    assert "tidak memenuhi syarat Pasal 158" in text
    assert "P-1" in text and dhasil_photo.sha256 in text and "11.350.328" in text
    assert LONG_DATE.search(text)
    assert not INTERNAL.search(text), INTERNAL.search(text)
    words = re.sub(r"\b[0-9a-f]{64}\b", " ", text)  # the evidence's SHA-256 may hold "31" between letters
    for code in ("31", "3175", "3171", "317508", "3175081001", TPS_IN):
        assert not re.search(rf"(?<![\d.,-]){code}(?![\d.,])", words), code
