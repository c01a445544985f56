"""The device submission path on PostgreSQL in two statements (``POST /api/results/submissions``
with a bearer token): the same rules as :func:`services.submit`, a fraction of its cost.

1. **Read** (one SELECT): the token (not revoked, not expired) and its user, the election by slug with its
   paslon numbers, the TPS by code, its witness result row, whether the ``client_id`` is stored,
   and whether this user already entered the result. A revoked token is refused at once: the
   token is read on every request, nothing is cached.
2. Python: the same permission question (``kawaltps.access``), validation (``clean_form``), checks
   and decision table (``services.transition``) as the ORM path.
3. **Write** (one transaction): one statement of data-modifying CTEs that updates the result row
   only if its ``version`` is still the one read (or inserts it, ``ON CONFLICT DO NOTHING``, when
   it was missing), and — only if that row was written — inserts the Submission and the
   ``TallyDelta``, and takes the audit chain's lock (``chain.LOCK_CALL``: one round trip less);
   then the audit record (before, and after with the new submission's id) through
   the one writer, ``audit.services.record_change``, which chains it by hash under the chain's lock.

Concurrency is optimistic: a concurrent change of the same TPS makes the write touch nothing
(the version differs or the row now exists), and the request reads again (at most
``ATTEMPTS`` times, then it takes the locking ORM path). A ``client_id`` that raced its twin loses
on the unique constraint and is answered with the stored submission, as in ``services.submit``.
The write runs in its own transaction (a savepoint inside one: tests, ``ATOMIC_REQUESTS``).

SQLite has no data-modifying CTEs: there the API uses :func:`services.submit` (same rules).
"""

import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kawaltps.audit import chain
from kawaltps.audit.services import record_change
from kawaltps.core import prepared
from kawaltps.elections.models import Election
from kawaltps.people.models import ApiToken, User, _digest

from . import services
from .models import Source, State, Submission, TpsResult
from .tally import COUNTERS, _delta, contribution
from .validation import check_client_id, clean_form

ATTEMPTS = 3

TOKEN_LIVE = ("t.digest = %(digest)s AND NOT t.revoked "
              "AND COALESCE(t.expires_at, t.created_at + %(life)s) > %(now)s")  # as ApiToken.authenticate

READ_SQL = f"""
SELECT u.id, u.username, u.role, u.tps_code, u.region_id, u.is_active, u.is_superuser, t.id, t.last_used_at,
       e.id, e.max_dpt_per_tps, e.form_type,
       (SELECT array_agg(c.number) FROM elections_candidate c WHERE c.election_id = e.id),
       p.id, p.dpt,
       r.id, r.state, r.votes, r.numbers, r.flags, r.flagged, r.valid, r.invalid, r.total, r.voters, r.version,
       EXISTS (SELECT 1 FROM results_submission s WHERE s.client_id = %(cid)s),
       COALESCE((SELECT bool_or(s.entered_by_id = u.id) FROM results_submission s WHERE s.result_id = r.id),
                false)
FROM people_apitoken t JOIN people_user u ON u.id = t.user_id
LEFT JOIN elections_election e ON e.slug = %(slug)s
LEFT JOIN regions_tps p ON p.election_id = e.id AND p.code = %(code)s
LEFT JOIN results_tpsresult r ON r.election_id = e.id AND r.source = %(source)s AND r.code = %(code)s
                              AND r.tps_id = p.id
WHERE {TOKEN_LIVE}
"""

RESULT_COLS = "state, votes, numbers, valid, invalid, total, voters, flags, flagged, version, updated_at"
RESULT_VALS = ("%(state)s, %(votes)s::jsonb, %(numbers)s::jsonb, %(valid)s, %(invalid)s, %(total)s, %(voters)s, "
               "%(flags)s::jsonb, %(flagged)s, %(version)s, %(now)s")

UPDATE_RESULT = f"""r AS (
  UPDATE results_tpsresult SET ({RESULT_COLS}) = ({RESULT_VALS})
  WHERE id = %(result_id)s AND version = %(old_version)s RETURNING id)"""

INSERT_RESULT = f"""r AS (
  INSERT INTO results_tpsresult (election_id, tps_id, code, source, {RESULT_COLS})
  VALUES (%(election_id)s, %(tps_id)s, %(code)s, %(source)s, {RESULT_VALS})
  ON CONFLICT DO NOTHING RETURNING id)"""

WRITE_REST = """,
s AS (
  INSERT INTO results_submission (result_id, client_id, kind, entered_by_id, votes, numbers, flags, note, created_at)
  SELECT r.id, %(client_id)s, %(kind)s, %(user_id)s, %(sub_votes)s::jsonb, %(sub_numbers)s::jsonb,
         %(sub_flags)s::jsonb,
         %(note)s, %(now)s FROM r RETURNING id, result_id)"""

WRITE_DELTA = f""",
d AS (
  INSERT INTO results_tallydelta (election_id, source, code, votes, {", ".join(COUNTERS)}, created_at)
  SELECT %(election_id)s, %(source)s, %(code)s, %(d_votes)s::jsonb, {", ".join(f"%(d_{c})s" for c in COUNTERS)},
         %(now)s FROM s)"""  # one column per tally.COUNTERS, like tally.apply_change


@dataclass
class Answer:
    """What the API returns: ``replayed`` decides 200 or 201."""

    id: int
    client_id: str
    tps: str
    kind: str
    state: str
    flags: list[str]
    replayed: bool


def available() -> bool:
    return connection.vendor == "postgresql"


def _user(row) -> User | None:
    uid, username, role, tps_code, region_id, is_active, is_superuser = row[:7]
    if not is_active:
        return None
    return User(id=uid, username=username, role=role, tps_code=tps_code, region_id=region_id, is_active=True,
                is_superuser=is_superuser)


def _touch_token(row) -> None:
    """``last_used_at`` at most once a minute (``ApiToken.touch``, as ``ApiToken.authenticate``)."""
    ApiToken.touch(row[7], row[8])


def _read(key: str, slug: str, tps_code: str, client_id: str):
    with prepared.cursor() as cur:
        cur.execute(READ_SQL, {"digest": _digest(key), "life": ApiToken.lifetime(), "now": timezone.now(),
                               "slug": slug, "code": tps_code, "cid": client_id, "source": Source.WITNESS})
        return cur.fetchone()


def _as_orm(row, slug: str, tps_code: str) -> tuple[Election, object, TpsResult]:
    """Unsaved-looking model instances (with their ids) built from the read row, for the shared rules."""
    election = Election(id=row[9], slug=slug, max_dpt_per_tps=row[10], form_type=row[11])
    election._candidate_numbers = {str(n) for n in row[12] or ()}
    tps = _Tps(id=row[13], dpt=row[14])
    if row[15] is None:
        result = TpsResult(election_id=election.pk, tps_id=tps.id, code=tps_code, source=Source.WITNESS,
                           state=State.RECEIVED, votes={}, numbers={}, flags=[], flagged=False, version=0)
    else:
        result = TpsResult(id=row[15], election_id=election.pk, tps_id=tps.id, code=tps_code, source=Source.WITNESS,
                           state=row[16], votes=_json(row[17]), numbers=_json(row[18]), flags=_json(row[19]),
                           flagged=row[20],
                           valid=row[21], invalid=row[22], total=row[23], voters=row[24], version=row[25])
    return election, tps, result


def _json(value):
    return json.loads(value) if isinstance(value, str) else value  # Django's backend loads jsonb as text


@dataclass
class _Tps:
    id: int
    dpt: int


def submit(key: str, slug: str, tps_code: str, kind: str | None, votes, numbers, client_id: str,
           note: str = "", prepare=None) -> Answer | None:
    """One API submission authenticated by bearer ``key``; None when the key is unknown, revoked or
    its user inactive (the caller tries the session). Raises ``Http404`` (unknown election),
    ``PermissionDenied`` or ``ValidationError`` (Indonesian) and then changes nothing.
    ``prepare(user, election)``, called after the checks and before any write, may refuse too
    (the submission's upload slots, ``upload_slots.check``).
    """
    tps_code = str(tps_code).replace(".", "")
    raw_client_id = str(client_id or "").strip()
    row = _read(key, slug, tps_code, raw_client_id)
    if row is None or (user := _user(row)) is None:
        return None
    _touch_token(row)
    if row[9] is None:
        raise Http404
    election, tps, result = _as_orm(row, slug, tps_code)
    kind = kind or ("saksi" if user.role == "saksi" else "clerk_first")
    if kind == "clerk":
        kind = "clerk_first"
    services._authorise(user, kind, tps_code)
    client_id = check_client_id(client_id)
    votes, numbers = clean_form(election, votes, numbers)
    if prepare is not None:
        prepare(user, election)
    for _attempt in range(ATTEMPTS):
        if row[13] is None:
            raise ValidationError({"tps": _("TPS %(code)s tidak ada dalam pemilihan ini.") % {"code": tps_code}})
        if row[26]:
            return _answer(services._replay(client_id, election, tps_code))
        try:
            answer = _write(user, election, tps, result, kind, votes, numbers, client_id, note, row[27])
        except IntegrityError:
            replay = services._replay(client_id, election, tps_code)  # its twin won the race
            if replay is None:
                raise
            return _answer(replay)
        except (PermissionDenied, ValidationError):
            replay = services._replay(client_id, election, tps_code)  # a retry of a stored entry
            if replay is None:
                raise
            return _answer(replay)
        if answer is not None:
            return answer
        row = _read(key, slug, tps_code, client_id)  # the TPS changed under us: read again
        if row is None or _user(row) is None:
            return None
        election, tps, result = _as_orm(row, slug, tps_code)
    election = Election.objects.get(pk=election.pk)  # still contended: take the row lock
    return _answer(services.submit(user, election, tps_code, kind, votes, numbers, client_id, note=note))


def _answer(sub: Submission) -> Answer:
    return Answer(sub.pk, sub.client_id, sub.result.code, sub.kind, sub.result.state, sub.flags, sub.replayed)


def _write(user, election, tps, result, kind, votes, numbers, client_id, note, entered_before) -> Answer | None:
    """The decision and the write; None when the result row changed since it was read."""
    old_version, new_row = result.version, result.pk is None
    before, snap = contribution(None if new_row else result), services._snapshot(result)  # a new row counts nowhere yet
    kind, action, flags = services.transition(result, tps, election, kind, votes, numbers, lambda: entered_before)
    delta = _delta(before, contribution(result))
    dumps = json.dumps
    params = {
        "state": result.state, "votes": dumps(result.votes), "numbers": dumps(result.numbers),
        "valid": result.valid, "invalid": result.invalid, "total": result.total, "voters": result.voters,
        "flags": dumps(result.flags), "flagged": result.flagged, "version": result.version,
        "now": timezone.now(), "result_id": result.pk, "old_version": old_version,
        "election_id": election.pk, "tps_id": tps.id, "code": result.code, "source": result.source,
        "client_id": client_id, "kind": kind, "user_id": user.pk, "sub_votes": dumps(votes),
        "sub_numbers": dumps(numbers), "sub_flags": dumps(flags), "note": note,
        "d_votes": dumps(delta["votes"]), **{f"d_{k}": v for k, v in delta.items() if k != "votes"},
    }
    sql = "WITH " + (INSERT_RESULT if new_row else UPDATE_RESULT) + WRITE_REST
    if delta["votes"] or any(v for k, v in delta.items() if k != "votes"):
        sql += WRITE_DELTA
    sql += f" SELECT id, result_id, {chain.LOCK_CALL}::text FROM s"  # the chain's lock with the write
    with transaction.atomic():
        with prepared.cursor() as cur:
            cur.execute(sql, params)
            written = cur.fetchone()
        if written is None:
            return None
        record_change(user=user, subject=TpsResult._meta.label, object_id=str(written[1]), code=result.code,
                      election_slug=election.slug, action=action, before=snap,
                      after={**services._snapshot(result), "kind": kind, "submission": written[0]}, locked=True)
    return Answer(written[0], client_id, result.code, kind, result.state, flags, False)
