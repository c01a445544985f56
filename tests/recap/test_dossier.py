"""Evidence dossiers: contents, manifest verification, tamper detection (`dossier`, `verify-dossier`)."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command

from kawaltps.recap import dossier
from kawaltps.recap.dhasil import add_photo, save_dhasil
from kawaltps.recap.discrepancies import recompute
from kawaltps.recap.models import Discrepancy

from .conftest import FILES


def _png() -> bytes:
    """A real (decodable) PNG: D.Hasil photos are checked by decoding them whole."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


PNG = _png()


@pytest.fixture
def case(sirekap_election, capsys):
    from kawaltps.results.models import TpsResult

    e = sirekap_election
    call_command("import_sirekap", "--election", "uji", str(FILES / "good"), str(FILES / "later"), "--json")
    capsys.readouterr()
    tps = e.tps_set.get(code="3175081001001")
    TpsResult.objects.create(
        election=e,
        tps=tps,
        code=tps.code,
        source="witness",
        state="verified",
        votes={"1": 120, "2": 40, "3": 200},
        valid=360,
    )
    d = save_dhasil(e, "kecamatan", "317508", {"1": 400, "2": 160, "3": 900})
    add_photo(d, PNG)
    recompute(e)
    return e


def test_tps_dossier_contents_and_manifest(case, tmp_path, capsys):
    call_command("dossier", "--election", "uji", "--tps", "3175081001001", "--out", str(tmp_path), "--json")
    out = json.loads(capsys.readouterr().out)
    data = (tmp_path / "berkas-bukti-uji-3175081001001.zip").read_bytes()
    z = zipfile.ZipFile(io.BytesIO(data))
    names = set(z.namelist())
    assert {
        "ringkasan.pdf",
        "data/angka.json",
        "data/riwayat.json",
        "data/linimasa.json",
        "manifest.json",
        "sirekap/3175081001001-01.json",
        "sirekap/3175081001001-02.json",
    } <= names
    assert z.read("ringkasan.pdf").startswith(b"%PDF")
    # the Sirekap versions are the original downloaded bytes
    original = FILES / "good/pilkada/hhcw/pkwkp/31/3175/317508/3175081001/3175081001001.json"
    assert z.read("sirekap/3175081001001-01.json") == original.read_bytes()
    numbers = json.loads(z.read("data/angka.json"))
    assert numbers["tps"]["3175081001001"]["official"]["votes"] == {"1": 130, "2": 40, "3": 190}
    steps = {d["step"]: d["deltas"] for d in numbers["discrepancies"]}
    assert steps["tps_sirekap"] == {"1": 10, "2": 0, "3": -10}
    assert steps["sirekap_changed"] == {"1": 10, "2": 0, "3": -10}
    history = json.loads(z.read("data/riwayat.json"))
    assert [s["votes"]["1"] for s in history["sirekap"]] == [120, 130]
    assert any(r["action"] == "official_from_sirekap" for r in history["audit"])
    timeline = json.loads(z.read("data/linimasa.json"))
    assert any(e["kind"] == "sirekap" and "BERUBAH" in e["text"] for e in timeline["events"])
    assert "laporan kejadian (kecurangan)" in timeline["not_yet_recorded"]
    manifest = json.loads(z.read("manifest.json"))
    assert manifest["manifest_sha256"] == out["manifest_sha256"]
    assert {f["path"] for f in manifest["files"]} == names - {"manifest.json"}
    call_command("verify_dossier", str(tmp_path / "berkas-bukti-uji-3175081001001.zip"), "--json")
    assert json.loads(capsys.readouterr().out)["ok"] is True


def rewrite(data: bytes, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for name in src.namelist():
            content = change(name, src.read(name))
            if content is not None:
                dst.writestr(name, content)
    return buf.getvalue()


def test_tampering_is_detected(case):
    data, manifest_hash = dossier.build(dossier.subject_for_tps(case, "3175081001001"))
    assert dossier.verify(data).ok and dossier.verify(data, manifest_hash).ok

    def edit_numbers(name, content):
        return content.replace(b"130", b"131") if name == "data/angka.json" else content

    bad = dossier.verify(rewrite(data, edit_numbers))
    assert not bad.ok and bad.problems == ["berkas berubah: data/angka.json"]
    bad = dossier.verify(rewrite(data, lambda n, c: None if n.startswith("sirekap/") and n.endswith("02.json") else c))
    assert bad.problems == ["berkas hilang: sirekap/3175081001001-02.json"]

    buf = io.BytesIO(data)
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr("foto/saksi/palsu.jpg", b"\xff\xd8\xff")
    assert dossier.verify(buf.getvalue()).problems == ["berkas tidak tercantum di manifest: foto/saksi/palsu.jpg"]

    def forge_manifest(name, content):
        if name == "manifest.json":
            m = json.loads(content)
            m["files"][0]["sha256"] = "0" * 64
            return json.dumps(m)
        return content

    forged = dossier.verify(rewrite(data, forge_manifest))
    assert "hash manifest tidak cocok: manifest telah diubah" in forged.problems
    assert not dossier.verify(data, "f" * 64).ok
    assert dossier.verify(b"bukan zip").problems == ["bukan berkas ZIP yang utuh"]


def test_verify_command_fails_on_a_changed_zip(case, tmp_path, capsys):
    data, _ = dossier.build(dossier.subject_for_tps(case, "3175081001001"))
    path = tmp_path / "b.zip"
    path.write_bytes(rewrite(data, lambda n, c: c + b" " if n == "ringkasan.pdf" else c))
    with pytest.raises(SystemExit) as exc:
        call_command("verify_dossier", str(path), "--json")
    assert exc.value.code == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and out["problems"] == ["berkas berubah: ringkasan.pdf"]


def test_region_and_discrepancy_dossiers_carry_dhasil_photos(case, tmp_path, capsys):
    d = Discrepancy.objects.get(step="tps_kecamatan")
    call_command("dossier", "--election", "uji", "--discrepancy", str(d.pk), "--out", str(tmp_path), "--json")
    out = json.loads(capsys.readouterr().out)
    z = zipfile.ZipFile(out["path"])
    photos = [n for n in z.namelist() if n.startswith("foto/dhasil/317508-")]
    assert len(photos) == 1 and z.read(photos[0]) == PNG
    assert json.loads(z.read("data/angka.json"))["discrepancies"][0]["code"] == "317508"
    table = z.read("data/tps_kecamatan.csv").decode().splitlines()
    assert table[0] == "kode_tps,resmi_1,resmi_2,resmi_3,saksi_1,saksi_2,saksi_3,status_saksi"
    assert "3175081001001,130,40,190,120,40,200,verified" in table and len(table) == 5
    call_command("dossier", "--election", "uji", "--region", "317508", "--out", str(tmp_path), "--json")
    assert json.loads(capsys.readouterr().out)["path"].endswith("berkas-bukti-uji-317508.zip")


def test_unknown_tps_is_a_clear_error(case, tmp_path, capsys):
    with pytest.raises(SystemExit):
        call_command("dossier", "--election", "uji", "--tps", "3175089999001", "--out", str(tmp_path), "--json")
    assert "TPS 3175089999001 tidak ada" in json.loads(capsys.readouterr().out)["error"]
    assert list(tmp_path.iterdir()) == []
