"""The audit log is append-only in the database and hash-chained; verify names what was tampered with.

The attacker's moves run as raw SQL on the application's own connection after dropping the
triggers (``schema.uninstall``), as someone with database access would.
"""

import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from kawaltps.audit import chain, schema
from kawaltps.audit.models import ChangeRecord
from kawaltps.audit.services import record_change, record_changes

pytestmark = pytest.mark.django_db


def _write(n: int = 6) -> list[ChangeRecord]:
    recs = [record_change(actor="uji", subject="results.TpsResult", object_id=str(i), code="3175081001001",
                          action="saksi_submit", before={"votes": {"1": i}}, after={"votes": {"1": i + 1}, "x": 1.5})
            for i in range(n // 2)]
    recs += record_changes([dict(actor="uji", subject="volunteers.Volunteer", object_id=str(i), code="3175081001",
                                 action="volunteer_status", before={"status": "registered"},
                                 after={"status": "trained"}, reason="bimtek")
                            for i in range(n - n // 2)])
    return recs


def _sql(sql: str, params=()) -> None:
    with connection.cursor() as cur:
        cur.execute(sql, params)


def _tamper(sql: str, params=()) -> None:
    schema.uninstall(connection)
    _sql(sql, params)


def test_records_chain_from_genesis_and_verify_passes():
    recs = _write(6)
    assert [r.seq for r in recs] == [1, 2, 3, 4, 5, 6]
    assert recs[0].prev_hash == chain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(recs, recs[1:], strict=False))
    report = chain.verify()
    assert report == {"ok": True, "checked": 6, "head": {"seq": 6, "hash": recs[-1].hash}, "problem": None}
    assert chain.head() == {"seq": 6, "hash": recs[-1].hash}


def test_the_hash_follows_the_documented_canonical_form():
    import hashlib

    rec = _write(2)[0]
    rec.refresh_from_db()
    text = json.dumps({"seq": 1, "occurred_at": rec.occurred_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "user_id": None,
                       "actor": "uji", "subject": "results.TpsResult", "object_id": "0", "code": "3175081001001",
                       "election_slug": "", "action": "saksi_submit", "before": {"votes": {"1": 0}},
                       "after": {"votes": {"1": 1}, "x": 1.5}, "reason": ""},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert rec.hash == hashlib.sha256(b"0" * 64 + b"\n" + text.encode()).hexdigest()


@pytest.mark.parametrize("statement", [
    "UPDATE audit_changerecord SET reason = 'diubah' WHERE seq = 2",
    "DELETE FROM audit_changerecord WHERE seq = 2",
])
def test_the_database_refuses_update_and_delete(statement):
    _write(3)
    before = list(ChangeRecord.objects.values_list("seq", "reason", "hash"))
    with pytest.raises(DatabaseError, match="hanya bisa ditambah"), transaction.atomic():
        _sql(statement)
    with pytest.raises(DatabaseError), transaction.atomic():
        ChangeRecord.objects.filter(seq=1).update(actor="lain")
    with pytest.raises(DatabaseError), transaction.atomic():
        ChangeRecord.objects.filter(seq=3).delete()
    assert list(ChangeRecord.objects.values_list("seq", "reason", "hash")) == before
    assert chain.verify()["ok"]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_truncate():
    _write(2)
    with pytest.raises(DatabaseError, match="hanya bisa ditambah"), transaction.atomic():
        _sql("TRUNCATE audit_changerecord")
    assert ChangeRecord.objects.count() == 2


def test_an_edited_record_is_named():
    recs = _write(6)
    _tamper("UPDATE audit_changerecord SET after = %s WHERE id = %s", [json.dumps({"votes": {"1": 999}}), recs[2].pk])
    report = chain.verify()
    assert not report["ok"]
    assert report["problem"]["kind"] == "edited"
    assert (report["problem"]["seq"], report["problem"]["id"]) == (3, recs[2].pk)
    assert report["checked"] == 2
    assert "#3" in report["problem"]["message"] and "diubah" in report["problem"]["message"]


def test_a_deleted_record_is_named():
    recs = _write(6)
    _tamper("DELETE FROM audit_changerecord WHERE id = %s", [recs[3].pk])
    problem = chain.verify()["problem"]
    assert problem["kind"] == "deleted"
    assert problem["missing_after_seq"] == 3 and problem["seq"] == 5
    assert "#4 dihapus" in problem["message"]


def test_a_deletion_hidden_by_renumbering_is_still_found():
    recs = _write(6)
    _tamper("DELETE FROM audit_changerecord WHERE id = %s", [recs[1].pk])
    _sql("UPDATE audit_changerecord SET seq = seq + 1000 WHERE seq > 2")
    _sql("UPDATE audit_changerecord SET seq = seq - 1001 WHERE seq > 1000")
    problem = chain.verify()["problem"]
    assert problem["kind"] == "deleted" and problem["id"] == recs[2].pk and problem["missing_after_seq"] == 1


def test_a_record_inserted_at_the_end_is_named():
    _write(4)
    _tamper("INSERT INTO audit_changerecord (occurred_at, actor, subject, object_id, code, election_slug, action, "
            "reason, seq, prev_hash, hash) VALUES (%s, 'penyusup', 'results.TpsResult', '7', '', '', 'saksi_submit', "
            "'', 5, %s, %s)", ["2024-11-27 10:00:00", "f" * 64, "e" * 64])
    problem = chain.verify()["problem"]
    assert problem["kind"] == "inserted" and problem["seq"] == 5 and problem["object_id"] == "7"


def test_a_well_forged_record_inserted_in_the_middle_is_named():
    """The attacker knows the algorithm: the forged record links to #3 and hashes correctly, and
    the later records are renumbered to make room. The record after it still names #3's hash."""
    from django.utils import timezone

    recs = _write(6)
    _tamper("UPDATE audit_changerecord SET seq = seq + 1000 WHERE seq > 3")
    _sql("UPDATE audit_changerecord SET seq = seq - 999 WHERE seq > 1000")
    fake = {"seq": 4, "occurred_at": timezone.now(), "user_id": None, "actor": "penyusup", "subject": "x.Y",
            "object_id": "1", "code": "", "election_slug": "", "action": "palsu", "before": None, "after": None,
            "reason": ""}
    h = chain.compute_hash(recs[2].hash, fake)
    _sql("INSERT INTO audit_changerecord (occurred_at, actor, subject, object_id, code, election_slug, action, "
         "reason, seq, prev_hash, hash) VALUES (%s, 'penyusup', 'x.Y', '1', '', '', 'palsu', '', 4, %s, %s)",
         [fake["occurred_at"], recs[2].hash, h])
    report = chain.verify()
    assert report["problem"]["kind"] == "inserted" and report["problem"]["action"] == "palsu"
    assert report["problem"]["seq"] == 4 and report["checked"] == 3


def test_a_rewritten_chain_passes_alone_but_not_against_a_published_anchor():
    recs = _write(4)
    anchor = chain.head()
    schema.uninstall(connection)
    prev = recs[0].hash
    _sql("UPDATE audit_changerecord SET reason = 'ditulis ulang' WHERE id = %s", [recs[1].pk])
    for rec in ChangeRecord.objects.filter(seq__gte=2).order_by("seq"):
        fields = {f: getattr(rec, f) for f in chain.FIELDS}
        new = chain.compute_hash(prev, fields)
        _sql("UPDATE audit_changerecord SET prev_hash = %s, hash = %s WHERE id = %s", [prev, new, rec.pk])
        prev = new
    assert chain.verify()["ok"]  # the walk alone cannot see a complete rewrite
    report = chain.verify([(anchor["seq"], anchor["hash"])])
    assert report["problem"]["kind"] == "anchor" and report["problem"]["seq"] == 4


def test_cli_verify_and_anchor(capsys):
    recs = _write(4)
    call_command("audit", "anchor")
    assert capsys.readouterr().out.strip() == f"4:{recs[-1].hash}"
    call_command("audit", "anchor", "--json")
    assert json.loads(capsys.readouterr().out)["hash"] == recs[-1].hash
    call_command("audit", "verify", "--json", "--anchor", f"4:{recs[-1].hash}")
    assert json.loads(capsys.readouterr().out)["ok"] is True
    call_command("audit", "verify")
    assert "Rantai utuh: 4 catatan" in capsys.readouterr().out
    _tamper("UPDATE audit_changerecord SET actor = 'orang lain' WHERE id = %s", [recs[1].pk])
    with pytest.raises(SystemExit) as exit_:
        call_command("audit", "verify", "--json")
    assert exit_.value.code == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and out["problem"]["kind"] == "edited" and out["problem"]["id"] == recs[1].pk
    with pytest.raises(SystemExit):
        call_command("audit", "verify")
    assert "RANTAI RUSAK (edited): Catatan #2" in capsys.readouterr().out


def test_cli_refuses_a_malformed_anchor():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="jangkar .* tidak sah"):
        call_command("audit", "verify", "--anchor", "abc")


def test_no_code_writes_the_log_but_the_one_writer():
    """A guard: ChangeRecord rows are built and inserted only in kawaltps.audit."""
    from pathlib import Path

    import kawaltps

    root = Path(kawaltps.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if path.parts[-3:-1] == ("kawaltps", "audit") or "migrations" in path.parts or path.parent.name == "audit":
            continue
        text = path.read_text()
        for needle in ("ChangeRecord(", "ChangeRecord.objects.create", "ChangeRecord.objects.bulk_create",
                       "INSERT INTO audit_changerecord"):
            if needle in text:
                offenders.append(f"{path.relative_to(root)}: {needle}")
    assert offenders == []


def test_a_volunteer_login_named_by_phone_is_logged_by_id(make_user):
    """The log can never be erased, so a volunteer's phone-number username never enters it."""
    volunteer_login = make_user("6281234567001", "saksi", tps_code="3175081001001")
    staff = make_user("koord-uji", "koordinator", None)
    a = record_change(user=volunteer_login, subject="x.Y", object_id="1", action="uji")
    b = record_change(user=staff, subject="x.Y", object_id="2", action="uji")
    assert a.actor == f"pengguna #{volunteer_login.pk}" and a.user_id == volunteer_login.pk
    assert b.actor == "koord-uji"
    assert "6281234567001" not in json.dumps(list(ChangeRecord.objects.values("actor", "before", "after", "reason")))


def test_the_parts_around_seq_make_the_canonical_text():
    """``canonical_parts`` (PostgreSQL numbers and hashes a single record in its INSERT) gives the
    same bytes as ``canonical`` for any seq, with text that looks like a seq key inside the values."""
    import datetime

    fields = {"occurred_at": datetime.datetime(2026, 12, 3, 1, 2, 3, 4567, tzinfo=datetime.UTC), "user_id": 7,
              "actor": 'saksi "seq":1', "subject": "fieldday.CheckIn", "object_id": "12", "code": "3175081001001",
              "election_slug": "uji", "action": "fieldday.checkin", "before": None,
              "after": {"seq": 2.0, "z": [1.0, "ü"], "a": None}, "reason": ""}
    head, tail = chain.canonical_parts(fields)
    for seq in (1, 9, 10, 123456789012):
        assert head + str(seq).encode() + tail == chain.canonical({**fields, "seq": seq})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL numbers and hashes in its INSERT")
def test_postgresql_hashes_a_single_record_as_python_does():
    recs = [record_change(actor="uji ü", subject="fieldday.Incident", object_id=str(i), code="3175081001001",
                          action="fieldday.incident", after={"text": "kotak \"dibuka\"\n", "n": 1.0, "i": i})
            for i in range(3)]
    for rec in recs:
        rec.refresh_from_db()
        assert rec.hash == chain.compute_hash(rec.prev_hash, {f: getattr(rec, f) for f in chain.FIELDS})
    assert [r.seq for r in recs] == [1, 2, 3] and recs[1].prev_hash == recs[0].hash
    assert chain.verify()["ok"]
