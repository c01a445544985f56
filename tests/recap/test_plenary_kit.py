"""The PPK plenary kit: `kawaltps plenary-kit` and /rekap/kit-pleno/ write a PDF and an XLSX that read
as Indonesian documents, with the differing TPS marked and the objection text prepared."""

import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from .test_pages import client_for


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_command_writes_pdf_and_xlsx_with_the_difference_marked(loaded, tmp_path, capsys):
    call_command("plenary_kit", "--election", "uji", "--region", "31.75.08", "--out", str(tmp_path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["tps"] == 4 and out["differing"] == 1  # TPS 3175081001001: 10 votes 03 → 01 in Sirekap
    text = _pdf_text(open(out["pdf"], "rb").read())
    assert "Bahan Rapat Pleno PPK" in text and "BEDA" in text and "WIB" in text
    assert "paslon 01 menurut salinan C.Hasil 100, menurut Sirekap 110" in text
    assert "tps_sirekap" not in text and "None" not in text
    ws = load_workbook(out["xlsx"]).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("TPS", "Kelurahan", "Alamat", "Saksi 01")
    first = rows[1]
    assert first[0] == "001" and first[3:6] == (100, 20, 200) and first[6:9] == (110, 20, 190)
    assert first[9:12] == (10, 0, -10) and first[12] == "YA"
    assert rows[-1][0] == "Keberatan" and "TPS 001" in rows[-1][1]


def test_command_refuses_a_bad_region(loaded, tmp_path, capsys):
    for bad in ("3175", "317509"):  # not a kecamatan code; a kecamatan without TPS in our register
        with pytest.raises(SystemExit):
            call_command("plenary_kit", "--election", "uji", "--region", bad, "--out", str(tmp_path), "--json")
        assert "kecamatan" in json.loads(capsys.readouterr().out)["error"]
    assert list(tmp_path.iterdir()) == []


def test_page_grants_and_denials(loaded, users):
    legal = client_for(users["legal"])
    r = legal.get("/rekap/kit-pleno/?pemilihan=uji&wilayah=317508")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    r = legal.get("/rekap/kit-pleno/?pemilihan=uji&wilayah=317508&format=xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert legal.get("/rekap/kit-pleno/?pemilihan=uji&wilayah=31").status_code == 400
    assert client_for(users["observer"]).get("/rekap/kit-pleno/?pemilihan=uji&wilayah=317508").status_code == 403
    k = client_for(users["koordinator"])  # Jakarta Timur
    assert k.get("/rekap/kit-pleno/?pemilihan=uji&wilayah=317508").status_code == 200
    assert k.get("/rekap/kit-pleno/?pemilihan=uji&wilayah=317101").status_code == 403
