"""A dossier verifies against the organisation's signature, not against itself (`verify-dossier`,
`signing-key`, /rekap/kunci-publik/), and a hostile ZIP is refused with a clear message."""

import base64
import io
import json
import stat
import tracemalloc
import warnings
import zipfile

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command

from kawaltps.recap import dossier, signing
from kawaltps.recap.verification import MAX_MEMBER_BYTES, canonical, sha256

TPS = "3175081001001"


def seed_b64(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return base64.b64encode(raw).decode()


def public_b64(key: Ed25519PrivateKey) -> str:
    return signing.public_b64(key.public_key())


def verify_cmd(path, capsys, *extra) -> tuple[int, dict]:
    """Run `verify-dossier --json`; (exit code, JSON printed)."""
    code = 0
    try:
        call_command("verify_dossier", str(path), "--json", *extra)
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(capsys.readouterr().out)


def entries(data: bytes) -> list[tuple[str, bytes]]:
    z = zipfile.ZipFile(io.BytesIO(data))
    return [(i.filename, z.read(i)) for i in z.infolist()]


def write_zip(items: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names: that is the point
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, content in items:
                z.writestr(name, content)
    return buf.getvalue()


def rehash(data: bytes, path: str, new_content: bytes, resign_with: Ed25519PrivateKey | None = None) -> bytes:
    """What a forger does: change a file, put its new hash and size in the manifest, recompute
    manifest_sha256 (and, with ``resign_with``, sign with a key of their own)."""
    items = dict(entries(data))
    items[path] = new_content
    m = json.loads(items["manifest.json"])
    for f in m["files"]:
        if f["path"] == path:
            f["sha256"], f["size"] = sha256(new_content), len(new_content)
    body = canonical({"dossier": m["dossier"], "files": m["files"]})
    m["manifest_sha256"] = sha256(body)
    if resign_with is not None:
        m["signature"] = {
            "algorithm": "Ed25519",
            "public_key": public_b64(resign_with),
            "fingerprint": signing.fingerprint(resign_with.public_key()),
            "value": base64.b64encode(resign_with.sign(body)).decode(),
        }
    items["manifest.json"] = json.dumps(m).encode()
    return write_zip(list(items.items()))


@pytest.fixture
def built(case):
    data, manifest_hash = dossier.build(dossier.subject_for_tps(case, TPS))
    return data, manifest_hash


def test_manifest_is_signed_with_the_organisation_key(built, tmp_path, capsys):
    data, manifest_hash = built
    m = json.loads(dict(entries(data))["manifest.json"])
    key = signing.private_key().public_key()
    assert m["signature"]["algorithm"] == "Ed25519"
    assert m["signature"]["public_key"] == signing.public_b64(key)
    assert m["dossier"]["signing_key_fingerprint"] == signing.fingerprint(key)
    body = canonical({"dossier": m["dossier"], "files": m["files"]})
    key.verify(base64.b64decode(m["signature"]["value"]), body)  # raises if not valid
    path = tmp_path / "b.zip"
    path.write_bytes(data)
    code, out = verify_cmd(path, capsys, "--manifest-sha256", manifest_hash)
    assert code == 0 and out["ok"] and out["signature"]["ok"]
    assert [c["check"] for c in out["checks"]] == ["zip", "manifest", "tanda_tangan", "hash_manifest", "berkas"]
    call_command("verify_dossier", str(path))
    text = capsys.readouterr().out
    assert "BAIK  Tanda tangan organisasi" in text and "UTUH:" in text


def test_tampered_and_rehashed_dossier_is_refused(built, tmp_path, capsys):
    data, _ = built
    angka = dict(entries(data))["data/angka.json"]
    forged = rehash(data, "data/angka.json", angka.replace(b"130", b"131"))
    # the manifest agrees with itself (that is all the old check looked at) ...
    m = json.loads(dict(entries(forged))["manifest.json"])
    assert sha256(canonical({"dossier": m["dossier"], "files": m["files"]})) == m["manifest_sha256"]
    # ... but the signature does not
    path = tmp_path / "palsu.zip"
    path.write_bytes(forged)
    code, out = verify_cmd(path, capsys)
    assert code == 1 and not out["ok"]
    assert out["problems"] == ["tanda tangan tidak sah: manifest diubah setelah ditandatangani"]
    call_command_text = _text(path, capsys)
    assert "GAGAL Tanda tangan organisasi" in call_command_text and "TIDAK UTUH" in call_command_text


def _text(path, capsys) -> str:
    with pytest.raises(SystemExit):
        call_command("verify_dossier", str(path))
    return capsys.readouterr().out


def test_a_dossier_signed_with_another_key_is_refused(built, tmp_path, capsys):
    data, _ = built
    forger = Ed25519PrivateKey.generate()
    angka = dict(entries(data))["data/angka.json"]
    path = tmp_path / "palsu.zip"
    path.write_bytes(rehash(data, "data/angka.json", angka.replace(b"130", b"131"), resign_with=forger))
    code, out = verify_cmd(path, capsys)
    assert code == 1
    assert len(out["problems"]) == 1 and out["problems"][0].startswith("ditandatangani dengan kunci lain")
    assert signing.fingerprint(forger.public_key()) in out["problems"][0]
    # and the genuine dossier checked against a different trusted key is refused too
    genuine = tmp_path / "asli.zip"
    genuine.write_bytes(data)
    code, out = verify_cmd(genuine, capsys, "--public-key", public_b64(Ed25519PrivateKey.generate()))
    assert code == 1 and out["problems"][0].startswith("ditandatangani dengan kunci lain")


def test_a_verifier_with_only_the_public_key(built, tmp_path, capsys, settings):
    data, _ = built
    path = tmp_path / "b.zip"
    path.write_bytes(data)
    call_command("signing_key", "--json")
    published = json.loads(capsys.readouterr().out)
    # a lawyer's machine: no organisation key at all
    settings.DATA_DIR = tmp_path / "pengacara"
    code, out = verify_cmd(path, capsys)
    assert code == 1 and "tidak ada kunci publik" in out["problems"][0] and "--public-key" in out["problems"][0]
    assert not (tmp_path / "pengacara" / signing.FILENAME).exists()  # verifying never invents a key
    code, out = verify_cmd(path, capsys, "--public-key", published["public_key"])
    assert code == 0 and out["ok"]
    pem = tmp_path / "kunci.pem"
    pem.write_text(published["pem"])
    assert verify_cmd(path, capsys, "--public-key", str(pem))[0] == 0
    with pytest.raises(SystemExit):
        call_command("verify_dossier", str(path), "--json", "--public-key", "bukan-kunci")
    assert "kunci publik tidak dapat dibaca" in json.loads(capsys.readouterr().out)["error"]


def test_duplicate_entry_names_are_refused(built):
    data, _ = built
    items = entries(data)
    original = dict(items)["data/angka.json"]
    # the forged copy first, the genuine one last: a reader that takes the last one sees a good file
    dup = write_zip([("data/angka.json", original.replace(b"130", b"999")), *items])
    result = dossier.verify(dup)
    assert not result.ok
    assert result.problems == ["nama berkas ganda di dalam ZIP: data/angka.json (salinan lain dapat ditukar)"]


@pytest.mark.parametrize("name", ["../luar.txt", "/etc/passwd", "foto\\..\\x.jpg", "C:/x.txt"])
def test_unsafe_paths_are_refused(built, name):
    data, _ = built
    result = dossier.verify(write_zip([*entries(data), (name, b"x")]))
    assert not result.ok and result.problems[0].startswith("jalur berkas tidak aman")


def test_zip_bomb_is_refused_without_inflating_it(built, tmp_path, capsys):
    data, _ = built
    path = tmp_path / "bom.zip"
    zero = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in entries(data):
            if name != "ringkasan.pdf":
                z.writestr(name, content)
        with z.open("ringkasan.pdf", "w", force_zip64=True) as f:
            for _ in range(MAX_MEMBER_BYTES // len(zero) + 16):  # 80 MB of zeros, ~80 KB compressed
                f.write(zero)
    assert path.stat().st_size < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        result = dossier.verify(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not result.ok and result.problems[0].startswith("berkas terlalu besar di dalam ZIP: ringkasan.pdf")
    assert peak < 8 * 1024 * 1024
    code, out = verify_cmd(path, capsys)
    assert code == 1 and out["problems"][0].startswith("berkas terlalu besar")


def test_a_member_longer_than_listed_is_read_only_up_to_its_listed_size(built):
    """Under the per-file bound but far longer than the manifest says: reading stops at the listed size."""
    data, _ = built
    items = [(n, c) for n, c in entries(data) if n != "ringkasan.pdf"]
    big = b"\0" * (40 * 1024 * 1024)
    bloated = write_zip([("ringkasan.pdf", big), *items])
    del big
    tracemalloc.start()
    try:
        result = dossier.verify(bloated)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.problems == ["berkas berubah: ringkasan.pdf"]
    assert peak < 8 * 1024 * 1024


MALFORMED = [
    (b"{bukan json", "bukan JSON yang sah"),
    (b"\xff\xfe\x00", "bukan teks UTF-8"),
    (b"[]", "isinya bukan objek JSON"),
    (b"[" * 100_000, "JSON"),
    (json.dumps({"dossier": {}, "files": [{"sha256": "0" * 64}], "manifest_sha256": "a"}).encode(), "jalur tidak sah"),
    (json.dumps({"dossier": {}, "files": [1], "manifest_sha256": "a"}).encode(), "files[1] bukan objek"),
    (json.dumps({"dossier": {}, "files": {"a": 1}, "manifest_sha256": "a"}).encode(), "bukan daftar"),
    (
        json.dumps(
            {"dossier": {}, "files": [{"path": "a.txt", "sha256": "0" * 64, "size": "12"}], "manifest_sha256": "a"}
        ).encode(),
        "ukuran tidak sah",
    ),
    (json.dumps({"dossier": [], "files": [], "manifest_sha256": 5}).encode(), "'dossier'"),
    (json.dumps({"dossier": {}, "files": [], "manifest_sha256": "a", "signature": "x"}).encode(), "'signature'"),
]


@pytest.mark.parametrize(("manifest", "reason"), MALFORMED)
def test_malformed_manifest_gets_a_clear_message_not_a_traceback(db, tmp_path, capsys, manifest, reason):
    path = tmp_path / "rusak.zip"
    path.write_bytes(write_zip([("manifest.json", manifest), ("a.txt", b"isi")]))
    code, out = verify_cmd(path, capsys)
    assert code == 1 and not out["ok"]
    assert out["problems"][0].startswith("manifest.json rusak") and reason in out["problems"][0]


def test_not_a_zip_and_a_missing_manifest(db, tmp_path, capsys):
    path = tmp_path / "x.zip"
    path.write_bytes(b"bukan zip")
    code, out = verify_cmd(path, capsys)
    assert code == 1 and out["problems"] == ["bukan berkas ZIP yang utuh"]
    assert dossier.verify(b"bukan zip").problems == ["bukan berkas ZIP yang utuh"]
    assert dossier.verify(write_zip([("a.txt", b"x")])).problems == ["manifest.json tidak ada"]


def test_signing_key_is_made_once_with_mode_0600(tmp_path, settings, monkeypatch):
    monkeypatch.delenv(signing.ENV, raising=False)
    settings.DATA_DIR = tmp_path
    first = signing.public_info()
    path = tmp_path / signing.FILENAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert signing.public_info() == first
    assert len(base64.b64decode(first["public_key"])) == 32
    assert [p.name for p in tmp_path.iterdir()] == [signing.FILENAME]  # no temporary file left


def test_signing_key_from_the_environment(tmp_path, settings, monkeypatch, capsys):
    settings.DATA_DIR = tmp_path
    key = Ed25519PrivateKey.generate()
    monkeypatch.setenv(signing.ENV, seed_b64(key))
    call_command("signing_key", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["public_key"] == public_b64(key) and out["fingerprint"] == signing.fingerprint(key.public_key())
    pem = tmp_path / "org.pem"
    pem.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    monkeypatch.setenv(signing.ENV, str(pem))
    assert signing.public_info()["public_key"] == public_b64(key)
    assert not (tmp_path / signing.FILENAME).exists()
    monkeypatch.setenv(signing.ENV, "rusak!!")
    with pytest.raises(SystemExit):
        call_command("signing_key", "--json")
    assert "KAWALTPS_SIGNING_KEY" in json.loads(capsys.readouterr().out)["error"]


def test_public_key_page_needs_no_login_and_matches_the_dossier(built, client, capsys):
    data, _ = built
    signed_with = json.loads(dict(entries(data))["manifest.json"])["signature"]["public_key"]
    r = client.get("/rekap/kunci-publik/")
    assert r.status_code == 200
    html = r.content.decode()
    assert signed_with in html and signing.fingerprint(signing.private_key().public_key()) in html
    assert "verify-dossier" in html and "PRIVATE" not in html
    assert seed_b64(signing.private_key()) not in html
    call_command("signing_key")
    out = capsys.readouterr().out
    assert signed_with in out and "PRIVATE" not in out and seed_b64(signing.private_key()) not in out
