"""`kawaltps import-volunteers FILE [--org NAME] [--json]` through the real entry point."""

import json
import subprocess
import sys

from django.core.management import call_command

from kawaltps.volunteers.models import Volunteer

from .conftest import nik, write_csv

KEL = "3175081002"


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_volunteers", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue()


def test_json_counts_and_rejected_rows(orgs, tmp_path):
    path = write_csv(tmp_path / "r.csv", [
        ["Siti", nik(KEL, 5, 1), "081234567001", KEL, ""],
        ["Budi", "123", "081234567002", KEL, ""],
    ])
    code, out = run(str(path), "--org", "ppp", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["imported"], data["updated"], data["unchanged"], data["rejected"]) == (1, 0, 0, 1)
    assert data["rejected_rows"] == [{"row": 3, "reason": "NIK harus 16 angka"}]
    assert Volunteer.objects.get().organisation.short_name == "PPP"
    code, out = run(str(path), "--org", "ppp", "--json")
    assert json.loads(out)["unchanged"] == 1 and json.loads(out)["imported"] == 0


def test_refused_file_json_error(orgs, tmp_path):
    path = tmp_path / "kosong.csv"
    path.write_text("")
    code, out = run(str(path), "--json")
    assert code != 0 and json.loads(out) == {"error": "Berkas kosong."}


def test_unknown_org_is_an_error(orgs, tmp_path):
    path = write_csv(tmp_path / "r.csv", [["Siti", nik(KEL, 5, 1), "081234567001", KEL, ""]])
    code, out = run(str(path), "--org", "Tidak Ada", "--json")
    assert code != 0 and "tidak dikenal" in json.loads(out)["error"]
    assert Volunteer.objects.count() == 0


def test_cli_name_and_help():
    result = subprocess.run([sys.executable, "-m", "kawaltps.cli", "import-volunteers", "--help"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "--org" in result.stdout
