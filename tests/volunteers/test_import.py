"""The import service: good rows, bad rows, duplicates, re-import, scope, no personal data in logs."""

import logging

import pytest

from kawaltps.audit.models import ChangeRecord
from kawaltps.regions.models import Region
from kawaltps.volunteers.importer import import_volunteers
from kawaltps.volunteers.models import Volunteer

from .conftest import nik, write_csv

KEL = "3175081002"  # Pinang Ranti, Makasar, Jakarta Timur


def good_rows():
    return [
        ["Siti Rahmawati", nik(KEL, 5, 1, True), "0812-3456-7001", "31.75.08.1002", "Relawan Kawal Jakarta",
         "Jl. Melati 1", "ya"],
        ["Budi Santoso", nik(KEL, 6, 2), "+62 812 3456 7002", "3175081002", "rkj", "", ""],
        ["Agus", nik("3171011001", 7, 3), "6281234567003", "Kel. Gambir", "PPP", "", "tidak"],
    ]


def test_good_rows_imported(orgs, tmp_path):
    report = import_volunteers(write_csv(tmp_path / "relawan.csv", good_rows()))
    assert (report.imported, report.updated, report.rejected) == (3, 0, [])
    siti = Volunteer.objects.get(name="Siti Rahmawati")
    assert siti.phone == "6281234567001" and siti.kelurahan_id == KEL and siti.organisation == orgs["rkj"]
    assert siti.status == "registered" and siti.available_on_election_day
    agus = Volunteer.objects.get(name="Agus")
    assert agus.kelurahan_id == "3171011001" and agus.organisation == orgs["ppp"]
    assert not agus.available_on_election_day


def test_bad_rows_reported_good_rows_imported(orgs, tmp_path):
    rows = good_rows() + [
        ["", nik(KEL, 8, 4), "081234567004", KEL, "RKJ"],                         # row 5: no name
        ["Nik Pendek", "31750801", "081234567005", KEL, "RKJ"],                 # row 6
        ["Tgl Salah", f"{KEL[:6]}310490" + "0006", "081234567006", KEL, "RKJ"],  # row 7: 31 April
        ["Telp Rumah", nik(KEL, 9, 7), "021-8401234", KEL, "RKJ"],              # row 8
        ["Kel Asing", nik(KEL, 10, 8), "081234567008", "Kelurahan Antah", "RKJ"],  # row 9
        ["Ormas Asing", nik(KEL, 11, 9), "081234567009", KEL, "Ormas Lain"],    # row 10
        ["Kode Salah", nik(KEL, 12, 10), "081234567010", "31.75.08.9999", "RKJ"],  # row 11
    ]
    report = import_volunteers(write_csv(tmp_path / "r.csv", rows))
    assert report.imported == 3
    reasons = {e.row: e.reason for e in report.rejected}
    assert set(reasons) == {5, 6, 7, 8, 9, 10, 11}
    assert reasons[5] == "nama kosong"
    assert "16 angka" in reasons[6]
    assert "tanggal lahir" in reasons[7]
    assert "seluler" in reasons[8]
    assert "tidak dikenal" in reasons[9] and "tidak dikenal" in reasons[10] and "kode kelurahan" in reasons[11]
    assert Volunteer.objects.count() == 3


def test_reimport_changes_nothing(orgs, tmp_path):
    path = write_csv(tmp_path / "r.csv", good_rows() + [good_rows()[0]])
    first = import_volunteers(path)
    assert (first.imported, first.merged) == (3, 1)
    before = list(Volunteer.objects.order_by("pk").values())
    history = ChangeRecord.objects.exclude(subject="volunteers.Import").count()
    again = import_volunteers(path)
    assert (again.imported, again.updated, again.unchanged, again.merged) == (0, 0, 3, 1)
    assert list(Volunteer.objects.order_by("pk").values()) == before
    assert ChangeRecord.objects.exclude(subject="volunteers.Import").count() == history


def test_duplicates_within_file_merged_or_flagged(orgs, tmp_path):
    a, b = nik(KEL, 5, 1), nik(KEL, 6, 2)
    rows = [
        ["Siti", a, "081234567001", KEL, "RKJ", "", ""],
        ["Budi", b, "081234567002", KEL, "RKJ", "", ""],
        ["Siti R.", a, "081234567001", KEL, "RKJ", "Jl. Mawar 2", ""],  # row 4: same person, more data
        ["Campur", a, "081234567002", KEL, "RKJ", "", ""],              # row 5: NIK of Siti, phone of Budi
        ["Budi", b, "081234567099", KEL, "RKJ", "", ""],                # row 6: Budi's new phone
    ]
    report = import_volunteers(write_csv(tmp_path / "r.csv", rows))
    assert (report.imported, report.merged) == (2, 2)
    assert [(e.row, "baris 2" in e.reason and "baris 3" in e.reason) for e in report.rejected] == [(5, True)]
    assert Volunteer.objects.count() == 2
    siti = Volunteer.objects.get(nik=a)
    assert siti.name == "Siti R." and siti.address == "Jl. Mawar 2"
    assert Volunteer.objects.get(nik=b).phone == "6281234567099"


def test_duplicates_against_registry_updated_or_flagged(orgs, tmp_path):
    a, b = nik(KEL, 5, 1), nik(KEL, 6, 2)
    Volunteer.objects.create(name="Siti", nik=a, phone="6281234567001", kelurahan_id=KEL, status="certified",
                             address="Jl. Lama")
    Volunteer.objects.create(name="Budi", nik=b, phone="6281234567002", kelurahan_id=KEL)
    rows = [
        ["Siti Rahma", a, "081234567001", "3175081001", "RKJ", "", ""],   # same NIK+phone: update
        ["Budi", nik(KEL, 7, 3), "081234567002", KEL, "RKJ", "", ""],    # phone of Budi: NIK corrected
        ["Campur", a, "081234567002", KEL, "RKJ", "", ""],               # conflict with registry
    ]
    report = import_volunteers(write_csv(tmp_path / "r.csv", rows))
    # Row 4 joins row 2 by NIK but its phone belongs to row 3 → flagged in the file.
    assert [e.row for e in report.rejected] == [4]
    assert (report.imported, report.updated) == (0, 2)
    siti = Volunteer.objects.get(nik=a)
    assert siti.name == "Siti Rahma" and siti.kelurahan_id == "3175081001"
    assert siti.status == "certified" and siti.address == "Jl. Lama"  # import never changes status / erases
    assert Volunteer.objects.count() == 2
    update = ChangeRecord.objects.filter(action="volunteer_import_update", object_id=str(siti.pk)).get()
    assert "nik" not in (update.after or {}) and a not in update.reason


def test_conflict_with_two_registered_volunteers(orgs, tmp_path):
    a, b = nik(KEL, 5, 1), nik(KEL, 6, 2)
    Volunteer.objects.create(name="Siti", nik=a, phone="6281234567001", kelurahan_id=KEL)
    Volunteer.objects.create(name="Budi", nik=b, phone="6281234567002", kelurahan_id=KEL)
    report = import_volunteers(write_csv(tmp_path / "r.csv", [["X", a, "081234567002", KEL, "RKJ", "", ""]]))
    assert len(report.rejected) == 1 and "relawan lain" in report.rejected[0].reason
    assert Volunteer.objects.get(nik=a).phone == "6281234567001"


def test_kelurahan_name_must_be_unique_within_scope(orgs, tmp_path, make_user):
    Region.objects.create(code="3171019999", name="Gambir", level=4, parent_id="317101")
    path = write_csv(tmp_path / "r.csv", [["Agus", nik(KEL, 7, 3), "081234567003", "Gambir", "RKJ", "", ""]])
    report = import_volunteers(path)
    assert "beberapa kecamatan" in report.rejected[0].reason


def test_coordinator_import_limited_to_scope(orgs, tmp_path, users):
    rows = good_rows()  # two in Makasar (3175...), one in Gambir (3171...)
    report = import_volunteers(write_csv(tmp_path / "r.csv", rows), user=users["koordinator_kec"])
    assert report.imported == 2
    assert [(e.row, e.reason) for e in report.rejected] == [(4, "kelurahan di luar wilayah tugas Anda")]


def test_default_org_when_column_missing(orgs, tmp_path):
    path = write_csv(tmp_path / "r.csv", [["Siti", nik(KEL, 5, 1), "081234567001", KEL]],
                     header=["NAMA", "nik", "Telepon", "KELURAHAN"], delimiter=";")
    report = import_volunteers(path, organisation=orgs["ppp"])
    assert report.imported == 1 and Volunteer.objects.get().organisation == orgs["ppp"]


def test_no_personal_data_in_logs(orgs, tmp_path, caplog):
    rows = good_rows() + [["Salah", nik(KEL, 8, 4)[:-1], "0812345", KEL, "RKJ"]]
    with caplog.at_level(logging.DEBUG):
        report = import_volunteers(write_csv(tmp_path / "r.csv", rows))
    assert report.imported == 3
    text = caplog.text + " ".join(e.reason for e in report.rejected)
    for row in rows:
        assert row[1] not in text
        assert row[2].replace("-", "").replace(" ", "").lstrip("+")[-8:] not in text.replace("-", "")


def test_redaction_filter_hides_nik_and_phone():
    from kawaltps.volunteers.logfilter import PersonalDataFilter

    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "daftar %s telp %s TPS %s", (
        "3175084506900001", "0812-3456-7001", "3175081001012"), None)
    assert PersonalDataFilter().filter(record)
    message = record.getMessage()
    assert "3175084506900001" not in message and "3456" not in message
    assert "3175081001012" in message  # TPS codes are not personal data


@pytest.mark.parametrize("bad_org", ["Ormas Lain"])
def test_unknown_org_row_rejected(orgs, tmp_path, bad_org):
    report = import_volunteers(write_csv(tmp_path / "r.csv", [["A", nik(KEL, 5, 1), "081234567001", KEL, bad_org]]))
    assert "organisasi" in report.rejected[0].reason and Volunteer.objects.count() == 0
