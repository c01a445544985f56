"""`kawaltps broadcast`: per kelurahan, per kecamatan, to the uncovered TPS' backups, through the sender."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kawaltps.audit.models import ChangeRecord
from kawaltps.messaging.models import Broadcast

from .conftest import BACKUP_PHONE, OTHER_PHONE, SAKSI_PHONE, TPS, _post


def run(*args) -> dict:
    out = io.StringIO()
    call_command("broadcast", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_kelurahan_and_kecamatan(posted, memory_sender):
    got = run("--election", "uji", "--as", "koordkec", "--kelurahan", "3175081001", "--id", "b-1",
              "Rapat saksi 06.00 di posko.")
    assert got["recipients"] == 3 and got["replayed"] is False
    assert sorted(p for p, _ in memory_sender) == sorted([SAKSI_PHONE, OTHER_PHONE, BACKUP_PHONE])
    assert all(t == "Rapat saksi 06.00 di posko." for _, t in memory_sender)
    again = run("--election", "uji", "--as", "koordkec", "--kelurahan", "3175081001", "--id", "b-1", "Rapat")
    assert again["replayed"] is True and len(memory_sender) == 3 and Broadcast.objects.count() == 1
    record = ChangeRecord.objects.get(action="messaging.broadcast")
    assert record.after["recipients"] == 3 and SAKSI_PHONE not in json.dumps(record.after)
    assert run("--election", "uji", "--as", "koord", "--kecamatan", "317508", "Cek")["recipients"] == 3


def test_uncovered_backups_only(posted, memory_sender, small_election):
    from kawaltps.messaging.services import handle

    _post(small_election, "3175081002001", "6281311110004", 4, kind="backup", login=False)  # TPS with no saksi
    got = run("--election", "uji", "--as", "koord", "--uncovered", "3175", "Segera ke TPS.")
    assert got["recipients"] == 2  # nobody has checked in yet: both TPS with a backup are uncovered
    assert sorted(p for p, _ in memory_sender) == sorted([BACKUP_PHONE, "6281311110004"])
    assert handle("cli", SAKSI_PHONE, "HADIR").status == "ok"  # the saksi of TPS 001 checks in
    memory_sender.clear()
    got = run("--election", "uji", "--as", "koord", "--uncovered", "317508", "Cadangan bergerak.")
    assert got["recipients"] == 1 and memory_sender == [("6281311110004", "Cadangan bergerak.")]
    assert TPS.startswith("317508")


def test_denials(posted, memory_sender):
    with pytest.raises(CommandError, match="tidak berwenang|Anda"):
        call_command("broadcast", "--election", "uji", "--as", "koordkec", "--kelurahan", "3171011001",
                     "Di luar wilayah")
    with pytest.raises(CommandError):
        call_command("broadcast", "--election", "uji", "--as", "saksi", "--kelurahan", "3175081001",
                     "Saksi bukan koordinator")
    with pytest.raises(CommandError, match="10 angka"):
        call_command("broadcast", "--election", "uji", "--as", "koord", "--kelurahan", "317508", "Kode salah")
    with pytest.raises(CommandError, match="wajib diisi"):
        call_command("broadcast", "--election", "uji", "--as", "koord", "--kecamatan", "317508", " ")
    assert memory_sender == [] and not Broadcast.objects.exists()
