"""Whole files: XLSX as coordinators keep them, and the bad files refused with nothing imported."""

import openpyxl
import pytest

from kawaltps.volunteers.importer import import_volunteers
from kawaltps.volunteers.models import Volunteer
from kawaltps.volunteers.tabular import FileRefused

from .conftest import HEADER, nik, write_csv

KEL = "3175081002"


def workbook(rows, title: str | None = None):
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])
        ws.merge_cells("A1:G1")
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    return wb, ws


def test_xlsx_with_numbers_and_merged_title(orgs, tmp_path):
    rows = [["Siti", int(nik(KEL, 5, 1, True)), 81234567001, "Kel. PINANGRANTI", "RKJ", None, "Ya"],
            [None] * 7,
            ["Budi", nik(KEL, 6, 2), "0812 3456 7002", "31.75.08.1002", "Pemuda Peduli Pemilu", "Jl. A", "TIDAK"]]
    wb, _ = workbook(rows, title="DATA RELAWAN KEC. MAKASAR")
    wb.save(tmp_path / "relawan.xlsx")
    report = import_volunteers(tmp_path / "relawan.xlsx")
    assert (report.imported, report.blank, report.rejected) == (2, 1, [])
    assert Volunteer.objects.get(name="Siti").phone == "6281234567001"
    assert not Volunteer.objects.get(name="Budi").available_on_election_day


def test_xlsx_formula_refused(orgs, tmp_path):
    rows = [["Siti", nik(KEL, 5, 1), "081234567001", KEL, "RKJ", None, None]] * 1
    rows += [["Budi", nik(KEL, 6, 2), "081234567002", KEL, "RKJ", '=CONCAT("Jl. ", "B")', None]]
    wb, ws = workbook(rows)
    wb.save(tmp_path / "rumus.xlsx")
    with pytest.raises(FileRefused, match="rumus.*F3"):
        import_volunteers(tmp_path / "rumus.xlsx")
    assert Volunteer.objects.count() == 0


def test_xlsx_merged_header_refused(orgs, tmp_path):
    wb, ws = workbook([["Siti", nik(KEL, 5, 1), "081234567001", KEL, "RKJ", None, None]])
    ws.merge_cells("F1:G1")
    wb.save(tmp_path / "gabung.xlsx")
    with pytest.raises(FileRefused, match="sel gabungan \\(F1:G1\\)"):
        import_volunteers(tmp_path / "gabung.xlsx")
    assert Volunteer.objects.count() == 0


def test_50_mb_refused_before_reading(orgs, tmp_path):
    path = tmp_path / "besar.csv"
    write_csv(path, [["Siti", nik(KEL, 5, 1), "081234567001", KEL, "RKJ"]])
    with open(path, "ab") as f:
        f.truncate(50 * 1024 * 1024)
    with pytest.raises(FileRefused, match="terlalu besar"):
        import_volunteers(path)
    assert Volunteer.objects.count() == 0


@pytest.mark.parametrize("name, content, message", [
    ("kosong.csv", b"", "kosong"),
    ("judul.csv", b"nama,nik,telepon,kelurahan,organisasi\n", "Berkas kosong|tidak ada baris"),
    ("gambar.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Jenis berkas"),
    ("laporan.pdf", b"%PDF-1.4\n", "Jenis berkas"),
    ("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".xls lama"),
    ("rusak.xlsx", b"PK\x03\x04garbage", "rusak"),
    ("tanpa-judul.csv", b"a,b,c\n1,2,3\n", "judul kolom"),
    ("kurang.csv", b"nama,nik,kelurahan\nA,3175080503900001,3175081002\n", "telepon, organisasi"),
])
def test_bad_files_refused(orgs, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileRefused, match=message):
        import_volunteers(path)
    assert Volunteer.objects.count() == 0
