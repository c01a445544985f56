"""The device path of ``POST /api/fieldday/checkins``, ``/checklist`` and ``/incidents`` on PostgreSQL
(bearer token, JSON): the same rules as :mod:`.services`, in one read and one short write.

1. **Read** (one prepared SELECT): the token (not revoked) and its user, the election by slug, the
   TPS by code, the election's ``far_meters`` and the report already stored under the ``client_id``
   (if any). The token is read on every request (a revoked token is refused at once); an unknown,
   revoked or expired token, or an inactive user, returns None and the caller answers as the
   ordinary authentication does (401, with the expiry message when it expired).
2. Python, in the order of ``api._run`` + ``services``: unknown election → ``Http404``, unknown TPS
   → ValidationError, ``access.require`` (PermissionDenied), the client id, a stored report under
   it → that report (``replayed``; someone else's → ValidationError), then the shared checks
   (``services.clean_check_in`` / ``clean_checklist`` / ``clean_incident``, Indonesian errors).
3. **Write** (one transaction, no savepoint, in psycopg's pipeline mode:
   ``prepared.pipelined_transaction``): one statement ``INSERT … ON CONFLICT (client_id) DO
   NOTHING`` (for an incident, its first workflow step too) that also takes the audit chain's lock
   when it wrote the row (``chain.LOCK_CALL``) and the token's ``last_used_at`` when due, sent with
   BEGIN; then the audit record, built by the one writer (``audit.services.change_sql``: the head,
   read after the lock, the chain's fields and the INSERT in one statement), sent with COMMIT. A
   twin sent at the same moment waits on the client id, meets the conflict, writes nothing and
   answers with the stored report. Round trips: the read, BEGIN + the statement, the record +
   COMMIT (was six); the chain's lock is held for the last one only.

The read stands in for the connection's health check (``prepared.fetchone``). The token's
``last_used_at`` is written at most once a minute (``ApiToken.touch_due``): in the write's statement,
or by ``ApiToken.touch`` when the request writes nothing. Report rows are built from their fields
(``prepared.values``), never as model instances. Statements are prepared once per connection
(``core.prepared``). SQLite, sessions and uploads: ``services``.
"""

import uuid
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.http import Http404
from django.utils import timezone

from kawaltps.access import Action, require
from kawaltps.audit import chain
from kawaltps.audit.services import change_sql
from kawaltps.core import prepared
from kawaltps.elections.models import Election
from kawaltps.people.models import ApiToken, User, _digest
from kawaltps.regions.models import TPS

from . import services
from .models import CheckIn, ChecklistAnswer, Incident, IncidentStep, Source


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    action: Action
    audit_action: str
    reply: tuple[str, ...]  # the stored report's columns the answer shows beyond id and tps


KINDS = {
    "checkin": Kind(CheckIn, Action.FIELD_REPORT, "fieldday.checkin", ("far", "distance_m")),
    "checklist": Kind(ChecklistAnswer, Action.FIELD_REPORT, "fieldday.checklist", ()),
    "incident": Kind(Incident, Action.REPORT_INCIDENT, "fieldday.incident", ("psu_trigger", "psu_deadline")),
}
REPLY = ("far", "distance_m", "psu_trigger", "psu_deadline")


@dataclass
class Answer:
    """What the API returns (``api.ReportOut``); ``replayed`` decides 200 or 201."""

    id: int
    client_id: str
    tps: str
    replayed: bool
    far: bool | None = None
    distance_m: int | None = None
    psu_trigger: bool | None = None
    psu_deadline: object = None

    def body(self) -> dict:
        return {"id": self.id, "client_id": self.client_id, "tps": self.tps, "replayed": self.replayed,
                "far": self.far, "distance_m": self.distance_m, "psu_trigger": self.psu_trigger,
                "psu_deadline": self.psu_deadline.isoformat() if self.psu_deadline else None}


def available() -> bool:
    return connection.vendor == "postgresql"


@cache
def _read_sql(kind: str) -> str:
    k = KINDS[kind]
    reply = ", ".join(f"x.{c}" for c in k.reply) or "NULL"
    return f"""
SELECT u.id, u.username, u.role, u.tps_code, u.region_id, u.is_active, u.is_superuser,
       t.id, t.last_used_at, t.expires_at, t.created_at,
       e.id, e.kind, e.date,
       p.id, p.code, p.latitude, p.longitude,
       (SELECT f.far_meters FROM fieldday_fieldsettings f WHERE f.election_id = e.id),
       x.id, x.user_id, x.tps_code, x.client_id, {reply}
FROM people_apitoken t JOIN people_user u ON u.id = t.user_id
LEFT JOIN elections_election e ON e.slug = %(slug)s
LEFT JOIN regions_tps p ON p.election_id = e.id AND p.code = %(code)s
LEFT JOIN {k.model._meta.db_table} x ON x.client_id = %(cid)s
WHERE t.digest = %(digest)s AND NOT t.revoked"""


@cache
def _insert_sql(kind: str) -> str:
    """The report's INSERT (a conflict on its client id writes nothing), which also takes the audit
    chain's lock when it wrote the row (``chain.LOCK_CALL``: the head is read by the next statement,
    after the lock) and writes the token's ``last_used_at`` when that is due (``ApiToken.touch_due``);
    an incident's first workflow step is inserted by the same statement."""
    model = KINDS[kind].model
    insert = f"{prepared.insert_sql(model)} ON CONFLICT (client_id) DO NOTHING RETURNING id"
    steps = ""
    if model is Incident:
        cols = [f.column for f in prepared.columns(IncidentStep) if f.name != "incident"]
        steps = (f", s AS (INSERT INTO {IncidentStep._meta.db_table} (incident_id, {', '.join(cols)}) "
                 f"SELECT i.id, {', '.join(['%s'] * len(cols))} FROM i)")
    touch = f"UPDATE {ApiToken._meta.db_table} SET last_used_at = %s WHERE id = %s AND %s"  # ApiToken.touch's
    return f"WITH t AS ({touch}), i AS ({insert}){steps} SELECT i.id, {chain.LOCK_CALL}::text FROM i"


def _replay(kind: str, user, found) -> Answer:
    """The stored report ``found`` (id, user_id, tps_code, client_id, reply columns) for a retry."""
    if found[1] != user.pk:
        raise ValidationError(services.client_id_taken())
    return Answer(found[0], str(found[3]), found[2], True, **dict(zip(KINDS[kind].reply, found[4:], strict=False)))


def _stored(kind: str, user, cid: uuid.UUID) -> Answer:
    """The report a twin stored first under ``cid`` (the insert met the conflict)."""
    k = KINDS[kind]
    row = k.model.objects.filter(client_id=cid).values_list("id", "user_id", "tps_code", "client_id",
                                                            *k.reply).first()
    return _replay(kind, user, row)


def report(kind: str, key: str, slug: str, tps_code: str, client_id, **data) -> Answer | None:
    """One report of ``kind`` ("checkin", "checklist", "incident") by bearer ``key``; None when the key
    is unknown, revoked or expired or its user inactive. ``data``: the service's own arguments
    (``at``, ``lat``, ``lon``, ``mandate_accepted`` / ``item_key``, ``answer``, ``note``, ``at`` /
    ``category_key``, ``description``, ``occurred_at``). Raises ``Http404``, ``PermissionDenied`` or
    ValidationError (Indonesian) and then stores nothing."""
    code = str(tps_code).replace(".", "")
    try:
        cid = services.client_uuid(client_id)
    except ValidationError:
        cid = None  # refused below, after the permission question (as in services)
    row = prepared.fetchone(_read_sql(kind), {"digest": _digest(key), "slug": slug, "code": code, "cid": cid})
    now = timezone.now()
    if row is None or not row[5]:
        return None
    token = ApiToken(id=row[7], last_used_at=row[8], expires_at=row[9], created_at=row[10])
    if token.expired(now):
        return None
    touch = {"due": ApiToken.touch_due(token.last_used_at, now), "params": [now, token.pk]}
    try:
        return _report(kind, row, touch, slug, tps_code, client_id, data)
    finally:
        if touch["due"]:  # not written by the report's statement (a retry, a refusal): as ApiToken.touch
            ApiToken.touch(token.pk, token.last_used_at, now)


def _report(kind: str, row, touch: dict, slug: str, tps_code: str, client_id, data: dict) -> Answer:
    """:func:`report` after the token: the checks, then the write (``touch["due"]`` cleared once the
    write's statement wrote ``last_used_at``)."""
    user = User(id=row[0], username=row[1], role=row[2], tps_code=row[3], region_id=row[4], is_active=True,
                is_superuser=row[6])
    if row[11] is None:
        raise Http404
    election = Election(id=row[11], slug=slug, kind=row[12], date=row[13])
    if row[14] is None:
        raise ValidationError(services.unknown_tps(tps_code))
    tps = TPS(id=row[14], code=row[15], latitude=row[16], longitude=row[17], election=election)
    k = KINDS[kind]
    require(user, k.action, tps)
    cid = services.client_uuid(client_id)
    if row[19] is not None:
        return _replay(kind, user, row[19:])
    source = services.source_of(Source.API)
    if kind == "checkin":
        far_meters = row[18]
        fields = services.clean_check_in(
            tps, at=data["at"], lat=data.get("lat"), lon=data.get("lon"),
            far_meters=lambda: far_meters if far_meters is not None else services.settings_for(election).far_meters)
        fields["mandate_accepted"] = data.get("mandate_accepted")
        after = services.check_in_record(fields, mandate_accepted=fields["mandate_accepted"], source=source)
    elif kind == "checklist":
        fields = services.clean_checklist(election, item_key=data["item_key"], answer=data["answer"],
                                          note=data.get("note", ""), at=data.get("at"))
        after = services.checklist_record(fields, source=source)
    else:
        fields = services.clean_incident(election, category_key=data["category_key"],
                                         description=data["description"], occurred_at=data["occurred_at"])
        after = services.incident_record(fields, source=source, evidence_sha=[])
    params = prepared.values(k.model, {**fields, "election_id": election.pk, "tps_id": tps.pk, "tps_code": tps.code,
                                       "user_id": user.pk, "client_id": cid, "source": source})
    if kind == "incident":
        params += prepared.values(IncidentStep, {"from_state": "", "to_state": Incident.State.REPORTED,
                                                 "by_id": user.pk, "reason": services.incident_step_reason(fields)},
                                  skip=("incident",))
    with prepared.pipelined_transaction() as cur:
        cur.execute(_insert_sql(kind), [*touch["params"], touch["due"], *params])
        written = cur.fetchone()  # round trip 1: BEGIN and the INSERT
        touch["due"] = False
        if written is not None:  # this statement took the chain's lock; the record goes with COMMIT
            cur.execute(*change_sql(user=user, subject=k.model._meta.label, object_id=str(written[0]),
                                    code=tps.code, election_slug=slug, action=k.audit_action, after=after))
    if written is None:  # a twin with this client id was stored first
        return _stored(kind, user, cid)
    return Answer(written[0], str(cid), tps.code, False, **{c: fields.get(c) for c in k.reply})
