"""HADIR, PEMILIH, CEK and LAPOR by message go through kawaltps.fieldday.services, one copy each."""

import io
import json

import pytest
from django.core.management import call_command

from kawaltps.fieldday.models import CheckIn, ChecklistAnswer, Incident, Turnout

from .conftest import OTHER_TPS, SAKSI_PHONE, TPS


def run(*args) -> dict:
    out = io.StringIO()
    try:
        call_command("message", *args, "--json", stdout=out)
    except SystemExit:
        pass
    return json.loads(out.getvalue())


def test_checkin_turnout_checklist_incident(posted):
    r = run("--from", SAKSI_PHONE, "HADIR -6.2101,106.8843")
    assert r["status"] == "ok" and f"Check-in di TPS {TPS} tercatat" in r["reply"]
    row = CheckIn.objects.get()
    assert row.tps_code == TPS and row.source == "api" and row.latitude == pytest.approx(-6.2101)
    again = run("--from", SAKSI_PHONE, "--channel", "sms", "hadir#-6.2101,106.8843")
    assert "sudah diterima sebelumnya" in again["reply"] and CheckIn.objects.count() == 1

    r = run("--from", SAKSI_PHONE, "--channel", "whatsapp", "PEMILIH 11 143")
    assert r["status"] == "ok" and "11.00: 143 tercatat" in r["reply"]
    t = Turnout.objects.get()
    assert t.voters == 143 and t.slot == "11:00" and t.source == "whatsapp"
    bad = run("--from", SAKSI_PHONE, "PEMILIH 10 150")
    assert bad["status"] == "invalid" and "09:00, 11:00, 13:00" in bad["reply"] and Turnout.objects.count() == 1

    r = run("--from", SAKSI_PHONE, "CEK 3 TIDAK kotak tidak ditunjukkan")
    assert r["status"] == "ok" and "diperlihatkan kosong" in r["reply"]
    a = ChecklistAnswer.objects.get()
    assert a.item_key == "kotak_kosong" and a.answer == "tidak" and a.note == "kotak tidak ditunjukkan"
    assert "tidak ada" in run("--from", SAKSI_PHONE, "CEK 99 YA")["reply"]
    assert run("--from", SAKSI_PHONE, "CEK 3 TOLAK")["status"] == "invalid"  # this item allows ya/tidak only
    assert ChecklistAnswer.objects.count() == 1

    r = run("--from", SAKSI_PHONE, "LAPOR kotak_dibuka Kotak dibuka sebelum saksi hadir")
    assert r["status"] == "ok" and "Laporan kejadian #" in r["reply"]
    i = Incident.objects.get()
    assert i.category_key == "kotak_dibuka" and i.description == "Kotak dibuka sebelum saksi hadir"
    unknown = run("--from", SAKSI_PHONE, "LAPOR ribut Ada keributan")
    assert unknown["status"] == "invalid" and "KOTAK_DIBUKA" in unknown["reply"] and Incident.objects.count() == 1


def test_field_reports_limited_to_the_senders_tps(posted):
    for text in (f"HADIR {OTHER_TPS}", f"PEMILIH {OTHER_TPS} 11 10", f"CEK {OTHER_TPS} 1 YA",
                 f"LAPOR {OTHER_TPS} lainnya uji"):
        r = run("--from", SAKSI_PHONE, text)
        assert r["status"] == "denied" and f"bukan TPS {OTHER_TPS}" in r["reply"]
    r = run("--from", "081399999999", "HADIR")
    assert r["status"] == "denied"
    assert not CheckIn.objects.exists() and not Turnout.objects.exists()
    assert not ChecklistAnswer.objects.exists() and not Incident.objects.exists()
