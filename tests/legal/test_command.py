"""``kawaltps filing bawaslu|mk``: the PDF written, one JSON document with --json, bad input refused
in Indonesian with nothing stored or written; the demo step makes one of each."""

import json
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from kawaltps.legal import demo
from kawaltps.legal.models import BawasluReport, MkPackage

from .conftest import TPS_IN


def test_bawaslu_command_writes_the_pdf(loaded, findings, tmp_path, capsys):
    out = tmp_path / "lapor.pdf"
    call_command("filing", "bawaslu", "--election", loaded.slug, "--finding", str(findings[f"tps_sirekap:{TPS_IN}"].pk),
                 "--out", str(out), "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "bawaslu" and data["reported_party"].startswith("KPPS TPS 001")
    assert out.read_bytes()[:5] == b"%PDF-" and BawasluReport.objects.count() == 1


def test_mk_command_json(loaded, tmp_path, capsys, settings):
    settings.KAWALTPS_HOLIDAYS = []
    out = tmp_path / "mk.pdf"
    call_command("filing", "mk", "--election", loaded.slug, "--region", "31", "--announced", "2024-12-20",
                 "--population", "11350328", "--out", str(out), "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["deadline"] == "2024-12-25" and data["margin"] == 58 and data["threshold"]["eligible"] is False
    assert data["total"]["diff"] == {"1": -10, "2": 0, "3": 10} and out.exists()


@pytest.mark.parametrize("argv,message", [
    (["bawaslu", "--finding", "424242"], "Temuan tidak ada pada pemilihan ini: #424242."),
    (["mk", "--region", "31", "--announced", "08-12-2024"], "Tanggal pengumuman KPU tidak sah"),
    (["mk", "--region", "3101", "--announced", "2024-12-08"], "tidak punya TPS"),
    (["bawaslu", "--finding", "1", "--user", "tidak-ada"], "pengguna 'tidak-ada' tidak ada"),
])
def test_bad_input_writes_nothing(loaded, findings, tmp_path, argv, message):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(".", r"\.")):
        call_command("filing", *argv, "--election", loaded.slug, "--out", str(out))
    assert not out.exists() and BawasluReport.objects.count() == 0 and MkPackage.objects.count() == 0


def test_user_without_the_right_is_refused(loaded, findings, users, tmp_path):
    with pytest.raises(CommandError, match="tidak berwenang"):
        call_command("filing", "bawaslu", "--election", loaded.slug, "--finding", str(next(iter(findings.values())).pk),
                     "--user", users["observer"].username, "--out", str(tmp_path / "x.pdf"))


def test_demo_step_makes_one_of_each(loaded, findings, incident):
    lines = demo.populate(SimpleNamespace(election=loaded))
    assert BawasluReport.objects.count() == 1 and MkPackage.objects.count() == 1
    assert any("laporan Bawaslu" in line for line in lines) and any("berkas MK" in line for line in lines)
    assert demo.populate(SimpleNamespace(election=loaded)) == ["Hukum: berkas sudah ada."]
