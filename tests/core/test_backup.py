"""``kawaltps backup`` / ``kawaltps restore`` round-trip an election; damaged or foreign files are refused.

The election is the demo's Jakarta 2024 governor race (14,835 TPS, 267 kelurahan) with C.Hasil
entries, a D.Hasil with its photo (a media file) and the audit records they write; the demo's
whole population step (volunteers, Bimtek, deployment) is left out to keep the test short.
"""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

from kawaltps.audit import chain
from kawaltps.audit.services import record_change
from kawaltps.core import backup as bk

pytestmark = pytest.mark.django_db(transaction=True)


def _png(colour: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buf, "PNG")
    return buf.getvalue()


def _populate(election, users):
    from kawaltps.recap.dhasil import add_photo, save_dhasil
    from kawaltps.results.services import submit
    from tests.results.helpers import good_form

    votes, numbers = good_form()
    from kawaltps.regions.models import TPS

    tps = list(TPS.objects.filter(election=election, code__startswith="317508").order_by("code")
               .values_list("code", flat=True)[:3])
    for i, code in enumerate(tps):
        submit(users["clerk"], election, code, "clerk_first", votes, numbers, f"backup-{i}")
    d = save_dhasil(election, "kecamatan", "317508", {"1": 10, "2": 20, "3": 30}, valid=60, invalid=1,
                    user=users["admin"])
    add_photo(d, _png("red"), user=users["admin"])
    return election


@pytest.fixture
def demo_populated(election, users):
    return _populate(election, users)


@pytest.fixture
def populated(small_election, users):
    """The small election (6 TPS) for the refusals, which need no size."""
    return _populate(small_election, users)


def _state() -> tuple[dict, dict, list]:
    media = {n: default_storage.open(n, "rb").read() for n in bk._media_files()}
    return bk.table_counts(), chain.head(), sorted(media.items())


def test_backup_and_restore_round_trip(demo_populated, tmp_path, capsys):
    out = tmp_path / "cadangan.tar.gz"
    call_command("backup", "--out", str(out), "--json")
    summary = json.loads(capsys.readouterr().out)
    assert out.stat().st_mode & 0o777 == 0o600
    saved = _state()
    assert summary["audit_head"] == saved[1] and saved[1]["seq"] > 3
    assert summary["media_files"] == len(saved[2]) >= 1
    assert saved[0]["results_tpsresult"] == 3 and saved[0]["regions_tps"] == 14835

    # life goes on after the backup: a new audit record, a new file, a lost file
    record_change(actor="uji", subject="x.Y", object_id="1", action="sesudah_cadangan")
    default_storage.save("lain/baru.txt", io.BytesIO(b"baru"))
    default_storage.delete(saved[2][0][0])
    assert _state() != saved

    call_command("restore", str(out), "--yes", "--json")
    report = json.loads(capsys.readouterr().out)
    assert _state() == saved  # every table's row count, the audit head and every media file's bytes
    assert report["audit_head"] == saved[1] and report["rows"] == sum(saved[0].values())
    assert chain.verify()["ok"]
    rec = record_change(actor="uji", subject="x.Y", object_id="2", action="sesudah_pulih")
    assert rec.seq == saved[1]["seq"] + 1  # the chain goes on from the restored head


def _refused(path: Path, match: str) -> None:
    before = _state()
    with pytest.raises(CommandError, match=match):
        call_command("restore", str(path), "--yes")
    assert _state() == before


def _archive(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_damaged_foreign_and_other_kind_backups_are_refused_and_nothing_changes(populated, tmp_path):
    """One test (one database set-up): cut, flipped bytes, a file that is not a backup, another
    tool's archive, a missing file, a PostgreSQL backup for SQLite (or the reverse), a swapped photo."""
    from django.db import connection

    out = tmp_path / "cadangan.tar.gz"
    call_command("backup", "--out", str(out))
    data = bytearray(out.read_bytes())
    cut = tmp_path / "terpotong.tar.gz"
    cut.write_bytes(bytes(data[: len(data) // 2]))
    _refused(cut, "rusak")
    for at in (len(data) // 3, len(data) - 40):
        flipped = bytearray(data)
        flipped[at] ^= 0xFF
        bad = tmp_path / f"rusak-{at}.tar.gz"
        bad.write_bytes(bytes(flipped))
        _refused(bad, "rusak")

    text = tmp_path / "catatan.txt"
    text.write_text("bukan cadangan")
    _refused(text, "rusak atau bukan berkas cadangan Kawal TPS")
    _refused(_archive(tmp_path / "lain.tar.gz", {"data.csv": b"a,b\n1,2\n"}), "bukan berkas cadangan Kawal TPS")
    other_tool = json.dumps({"format": "other-tool", "version": 1}).encode()
    _refused(_archive(tmp_path / "lain2.tar.gz", {"manifest.json": other_tool}), "format tidak dikenal")
    _refused(tmp_path / "tidak-ada.tar.gz", "tidak ada")

    with tarfile.open(out) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    photo = next(n for n in members if n.startswith("media/"))
    swapped = {**members, photo: _png("blue")}
    _refused(_archive(tmp_path / "diubah.tar.gz", swapped), f"isi {photo} tidak cocok")

    manifest = json.loads(members["manifest.json"])
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    own = bk.DB_MEMBER[connection.vendor]
    members[bk.DB_MEMBER[other]] = members.pop(own)
    manifest["members"][bk.DB_MEMBER[other]] = manifest["members"].pop(own)
    manifest["vendor"] = other
    members["manifest.json"] = json.dumps(manifest).encode()
    _refused(_archive(tmp_path / "jenis-lain.tar.gz", members), f"dari basis data {other}")
