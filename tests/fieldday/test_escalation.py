"""07.00 escalation of uncovered TPS to their koordinator, the one-tap backup dispatch, the commands."""

import datetime
import json
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from kawaltps.deployment import services as deployment
from kawaltps.deployment.models import Assignment
from kawaltps.deployment.senders import MemorySender
from kawaltps.fieldday import dispatching, services
from kawaltps.fieldday.models import Dispatch, Escalation

from .conftest import SAKSI_TPS

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def posted(small_election, volunteer, users):
    users["koordinator_kec"].phone = "6281100000001"
    users["koordinator_kec"].save()
    saksi = deployment.assign_by_hand(small_election, volunteer("3175081001", login=True), SAKSI_TPS)
    backup = deployment.assign_by_hand(small_election, volunteer("3175081001", login=True, name="Budi Cadangan"),
                                       SAKSI_TPS, "backup")
    return saksi, backup


def at(hh, mm, election):
    return datetime.datetime.combine(election.date, datetime.time(hh, mm), tzinfo=WIB)


def test_escalation_waits_for_0700_then_tells_the_nearest_koordinator_once(small_election, users, posted):
    assert dispatching.escalate(small_election, now=at(6, 59, small_election))["due"] is False
    assert not MemorySender.outbox and not Escalation.objects.exists()
    out = dispatching.escalate(small_election, now=at(7, 0, small_election))
    assert out["due"] and SAKSI_TPS in out["tps"] and out["escalated"] == 6
    phone, text = next(m for m in MemorySender.outbox if m[0] == "6281100000001")
    assert "Budi Cadangan" in text and SAKSI_TPS in text and "/hari-h/papan/" in text
    esc = Escalation.objects.get(tps_code=SAKSI_TPS)
    assert esc.koordinator == users["koordinator_kec"] and esc.backup == posted[1]
    again = dispatching.escalate(small_election, now=at(7, 30, small_election))
    assert again["escalated"] == 0 and Escalation.objects.count() == 6


def test_a_checked_in_tps_is_not_escalated(small_election, users, posted):
    tps = posted[0].tps
    saksi_user = posted[0].volunteer.user
    saksi_user.refresh_from_db()
    services.check_in(saksi_user, tps, at=timezone.now(), client_id=uuid.uuid4())
    out = dispatching.escalate(small_election, force=True)
    assert SAKSI_TPS not in out["tps"] and out["escalated"] == 5


def test_dispatch_promotes_the_backup_once_and_messages_them(small_election, users, posted):
    backup = posted[1]
    cid = uuid.uuid4()
    with pytest.raises(PermissionDenied):
        dispatching.dispatch_backup(users["observer"], backup, client_id=cid)
    with pytest.raises(PermissionDenied):
        dispatching.dispatch_backup(users["saksi"], backup, client_id=cid)
    d, new = dispatching.dispatch_backup(users["koordinator_kec"], backup, client_id=cid)
    d2, new2 = dispatching.dispatch_backup(users["koordinator_kec"], backup, client_id=cid)
    assert new and not new2 and d.pk == d2.pk and Dispatch.objects.count() == 1 and d.message_sent
    backup.refresh_from_db()
    assert backup.kind == Assignment.Kind.SAKSI
    user = backup.volunteer.user
    user.refresh_from_db()
    assert user.role == "saksi" and user.tps_code == SAKSI_TPS  # may now check in there
    assert any(p == backup.volunteer.phone and SAKSI_TPS in t for p, t in MemorySender.outbox)
    with pytest.raises(ValidationError, match="cadangan"):  # no longer a backup: a second tap elsewhere fails
        dispatching.dispatch_backup(users["koordinator_kec"], backup, client_id=uuid.uuid4())


def test_dispatch_from_the_board_page(client, small_election, users, posted):
    client.force_login(users["koordinator_kec"])
    page = client.get("/hari-h/papan/?pemilihan=uji").content.decode()
    assert "Budi Cadangan" in page and "Kirim cadangan" in page
    r = client.post("/hari-h/kirim-cadangan/?pemilihan=uji", {"assignment": posted[1].pk,
                                                             "client_id": str(uuid.uuid4())})
    assert r.status_code == 302 and Dispatch.objects.count() == 1
    client.force_login(users["observer"])  # sees the board, may not dispatch, no phone numbers
    page = client.get("/hari-h/papan/?pemilihan=uji&wilayah=317508").content.decode()
    assert 'class="primary">Kirim cadangan' not in page and posted[1].volunteer.phone not in page


def test_commands_print_the_board_and_incidents_as_json(small_election, users, posted, capsys):
    call_command("board", "--election", "uji", "--region", "317508", "--uncovered", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["total"]["none"] == 4 and len(data["uncovered"]) == 4
    assert all("••••" in b["phone"] for u in data["uncovered"] for b in u["backups"])  # masked
    call_command("checkins", "--election", "uji", "--json")
    assert json.loads(capsys.readouterr().out)["total"]["tps"] == 6
    call_command("escalate", "--election", "uji", "--force", "--json")
    assert json.loads(capsys.readouterr().out)["escalated"] == 6
    services.report_incident(users["saksi"], posted[0].tps, category_key="kotak_dibuka", description="x",
                             occurred_at=timezone.now(), client_id=uuid.uuid4())
    call_command("incidents", "--election", "uji", "--state", "reported", "--json")
    rows = json.loads(capsys.readouterr().out)["incidents"]
    assert len(rows) == 1 and rows[0]["psu_trigger"] and rows[0]["psu_deadline"] == "2024-12-01"
    with pytest.raises(SystemExit):
        call_command("incidents", "--election", "uji", "--state", "nope", "--json")
    assert "status tidak dikenal" in capsys.readouterr().out
