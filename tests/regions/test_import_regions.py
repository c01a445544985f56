"""`kawaltps import-regions`: loads, updates in place, refuses bad files without touching the DB."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kawaltps.regions.demo import JAKARTA_REGIONS
from kawaltps.regions.models import Region
from tests.conftest import shared_file


def run_json(*args) -> dict:
    out = StringIO()
    call_command("import_regions", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_jakarta_fixture_loads_every_level():
    data = run_json(str(JAKARTA_REGIONS))
    assert data["created"] == {"provinsi": 1, "kabkota": 6, "kecamatan": 44, "kelurahan": 267}
    assert Region.objects.count() == 318
    pinang = Region.objects.get(code="3175081002")
    assert pinang.name == "Pinangranti" and pinang.parent_id == "317508" and pinang.level == 4


@pytest.mark.django_db
def test_second_run_updates_in_place(tmp_path):
    run_json(str(JAKARTA_REGIONS))
    again = run_json(str(JAKARTA_REGIONS))
    assert sum(again["created"].values()) == 0 and again["unchanged"]["kelurahan"] == 267
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(JAKARTA_REGIONS.read_text().replace("31.75.08.1002,Pinangranti", "31.75.08.1002,Pinang Ranti"))
    data = run_json(str(renamed))
    assert data["updated"]["kelurahan"] == 1 and sum(data["created"].values()) == 0
    assert Region.objects.count() == 318
    assert Region.objects.get(code="3175081002").name == "Pinang Ranti"


BAD_FILES = {
    "malformed_code": ("kode,nama,level\n31,DKI,1\n31.7X,Jakarta Rusak,2\n", "baris 3", "kode wilayah tidak sah"),
    "unknown_parent": ("kode,nama,level\n32,Jabar,1\n32.73,Bandung,2\n32.74.01,Yatim,3\n", "baris 4", "induk 3274"),
    "wrong_level": ("kode,nama,level\n31,DKI,1\n31.71,Jakpus,3\n", "baris 3", "tidak cocok"),
    "duplicate": ("kode,nama,level\n31,DKI,1\n31,DKI lagi,1\n", "baris 3", "lebih dari sekali"),
    "bad_header": ("code,name\n31,DKI\n", "baris 1", "kepala kolom"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_names_row_and_reason_and_changes_nothing(tmp_path, case):
    run_json(str(JAKARTA_REGIONS))
    before = list(Region.objects.values_list("code", "name", "level", "parent_id"))
    content, row, reason = BAD_FILES[case]
    path = tmp_path / f"{case}.csv"
    path.write_text(content)
    with pytest.raises(CommandError) as exc:
        call_command("import_regions", str(path), stdout=StringIO())
    assert row in str(exc.value) and reason in str(exc.value)
    assert "Tidak ada yang diubah" in str(exc.value)
    assert list(Region.objects.values_list("code", "name", "level", "parent_id")) == before


@pytest.mark.django_db
def test_unreadable_encoding_is_refused(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("kode,nama,level\n31,DKI,1\n31.71,Jakarta Pusat Ñ,2\n".encode("latin-1"))
    with pytest.raises(CommandError) as exc:
        call_command("import_regions", str(path), stdout=StringIO())
    assert "baris 3" in str(exc.value) and "UTF-8" in str(exc.value)
    assert Region.objects.count() == 0


def test_cli_exit_code_and_json_error_on_bad_file(tmp_path):
    """Through the real console script: non-zero exit and exactly one JSON document."""
    path = tmp_path / "bad.csv"
    path.write_text(BAD_FILES["wrong_level"][0])
    env_db = tmp_path / "cli"
    import os

    env = {**os.environ, "KAWALTPS_DATA_DIR": str(env_db)}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "kawaltps.cli", "migrate", "-v0"], env=env, check=True)
    proc = subprocess.run([sys.executable, "-m", "kawaltps.cli", "import-regions", str(path), "--json"],
                          env=env, capture_output=True, text=True)
    assert proc.returncode != 0
    assert "tidak cocok" in json.loads(proc.stdout)["error"]


@pytest.mark.django_db(transaction=True)
def test_whole_country_loads_with_exact_counts():
    path = shared_file("id", "wilayah_2023.csv")
    data = run_json(str(path))
    assert data["created"] == {"provinsi": 37, "kabkota": 514, "kecamatan": 7277, "kelurahan": 83763}
    assert Region.objects.count() == 91_591
    again = run_json(str(path))
    assert again["unchanged"]["kelurahan"] == 83763 and Region.objects.count() == 91_591
