"""The hash chain over ``ChangeRecord``: canonical form, appending under a lock, verification.

Canonical serialisation of record ``r`` (what is hashed; change it only with a migration that
re-chains, and never after an anchor was published):

    payload = {"seq": r.seq, "occurred_at": UTC time as "YYYY-MM-DDTHH:MM:SS.ffffffZ",
               "user_id": int or null, "actor", "subject", "object_id", "code", "election_slug",
               "action", "reason": str, "before", "after": JSON or null}
    before/after: JSON values as stored, a float with an integral value written as the integer
                  (PostgreSQL's jsonb reads 1e20 back as 100000000000000000000)
    text      = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                           allow_nan=False), encoded as UTF-8
    r.hash    = hex(SHA-256(r.prev_hash as ASCII + b"\\n" + text))
    r.prev_hash = the previous record's hash; the first record's is GENESIS (64 × "0")
    r.seq     = previous seq + 1, starting at 1 (unique in the database)

Appending (:func:`append`) runs in a transaction (the caller's, with no savepoint of its own) that
first takes the chain's lock, reads the head (highest seq), computes the new records'
seq/prev_hash/hash and inserts them; the lock is held until commit, so two processes appending at
once queue and never fork the chain. On PostgreSQL the lock, the head and a single record's INSERT
are prepared statements (``core.prepared``); a single record's head, numbering, hash and INSERT
are one statement there (:func:`append_sql`: PostgreSQL hashes the same bytes). A caller may take
the lock itself within the statement that writes its change (``LOCK_CALL``, e.g. ``… RETURNING id,
pg_advisory_xact_lock(…)``: one round trip less) and then appends with ``locked=True``; the head is
read by a later statement, so its snapshot is taken after the lock was granted.
PostgreSQL: ``pg_advisory_xact_lock(LOCK_KEY)``. SQLite: the project opens every transaction with
``BEGIN IMMEDIATE`` (``settings.DATABASES``), which already holds the database's only write lock.
The unique ``seq`` refuses a fork even if a lock were missing.

Verification (:func:`verify`) walks the records by (seq, id) with one record of look-ahead and stops
at the first that does not fit; the decision per record ``r`` after the last good record ``p``:

    r.seq <= p.seq                      -> r inserted (a second record with a used number), unless
                                           the next record links to r and not to p: then p inserted
    r.prev_hash == p.hash:
        hash(r) == r.hash, seq p.seq+1  -> good
        next record links to p          -> r inserted (the chain goes around it)
        otherwise                       -> r edited
    r.prev_hash != p.hash:
        r.prev_hash == hash of the record before p
                                        -> p inserted (r skips it)
        hash(r) == r.hash or the next record links to r
                                        -> records before r deleted (r is genuine)
        otherwise                       -> r inserted

An attacker who rewrites every later hash goes unseen by the walk alone: compare with a published
anchor (``kawaltps audit anchor`` prints seq and hash; ``verify --anchor SEQ:HASH`` checks it).
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.db import connection, transaction

from kawaltps.core import prepared

from .models import ChangeRecord

GENESIS = "0" * 64
LOCK_KEY = 7_416_001  # pg_advisory_xact_lock key of the audit chain (any constant unique in the project)
LOCK_CALL = f"pg_advisory_xact_lock({LOCK_KEY})"  # the lock, as an expression a caller's statement may hold
FIELDS = ("seq", "occurred_at", "user_id", "actor", "subject", "object_id", "code", "election_slug", "action",
          "before", "after", "reason")


def _norm(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _norm(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_norm(v) for v in value]
    return value


def _time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _dumps(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def _payload(fields: dict[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    payload = {k: fields[k] for k in keys}
    if "occurred_at" in payload:
        payload["occurred_at"] = _time(fields["occurred_at"])
        payload["before"], payload["after"] = _norm(fields["before"]), _norm(fields["after"])
        payload["reason"] = payload["reason"] or ""
    return payload


def canonical(fields: dict[str, Any]) -> bytes:
    """The canonical text of one record's fields (see the module docstring)."""
    return _dumps(_payload(fields, FIELDS))


_BELOW_SEQ = tuple(k for k in FIELDS if k < "seq")  # the keys sort_keys writes before "seq"
_ABOVE_SEQ = tuple(k for k in FIELDS if k > "seq")


def canonical_parts(fields: dict[str, Any]) -> tuple[bytes, bytes]:
    """:func:`canonical` around the record's seq, for a seq not yet known (PostgreSQL numbers the
    record in its INSERT, :func:`append_sql`): ``canonical(fields) == head + str(seq) + tail``.
    Exact because the text is one sorted object and every other top-level key sorts before or
    after ``"seq"`` (``_BELOW_SEQ``, ``_ABOVE_SEQ``, never empty)."""
    below, above = _dumps(_payload(fields, _BELOW_SEQ)), _dumps(_payload(fields, _ABOVE_SEQ))
    return below[:-1] + b',"seq":', b"," + above[1:]


def compute_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 of the previous hash, a newline and the canonical text."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(fields)).hexdigest()


def _lock() -> None:
    if connection.vendor == "postgresql":
        with prepared.cursor() as cur:
            cur.execute(f"SELECT {LOCK_CALL}")


HEAD_SQL = f"SELECT seq, hash FROM {ChangeRecord._meta.db_table} ORDER BY seq DESC LIMIT 1"


def head() -> dict[str, Any]:
    """The newest record's seq and hash (seq 0 and GENESIS for an empty log)."""
    if connection.vendor == "postgresql":  # a prepared statement: the one read of every append
        with prepared.cursor() as cur:
            cur.execute(HEAD_SQL)
            row = cur.fetchone()
    else:
        row = ChangeRecord.objects.order_by("-seq").values_list("seq", "hash").first()
    return {"seq": row[0], "hash": row[1]} if row else {"seq": 0, "hash": GENESIS}


CHAINED = ("seq", "prev_hash", "hash")  # what append_sql's statement computes itself


@cache
def _append_sql() -> str:
    table = ChangeRecord._meta.db_table
    given = [f.column for f in prepared.columns(ChangeRecord) if f.name not in CHAINED]
    digest = "sha256(convert_to(h.hash, 'UTF8') || %s::bytea || convert_to((h.seq + 1)::text, 'UTF8') || %s::bytea)"
    top = f"SELECT seq, hash FROM {table} ORDER BY seq DESC LIMIT 1"  # the index on seq, backwards
    return (f"WITH h AS (SELECT COALESCE(t.seq, 0) AS seq, COALESCE(t.hash, '{GENESIS}') AS hash "
            f"FROM (SELECT) one LEFT JOIN LATERAL ({top}) t ON true) "
            f"INSERT INTO {table} ({', '.join(given)}, seq, prev_hash, hash) "
            f"VALUES ({', '.join(['%s'] * len(given))}, (SELECT seq + 1 FROM h), (SELECT hash FROM h), "
            f"(SELECT encode({digest}, 'hex') FROM h)) RETURNING id, seq, prev_hash, hash")


def append_sql(rec: ChangeRecord) -> tuple[str, list]:
    """PostgreSQL: one statement that reads the head, numbers and hashes unsaved ``rec`` exactly as
    :func:`compute_hash` (SHA-256 over the previous hash, a newline and :func:`canonical_parts`
    around the new seq) and inserts it; ``RETURNING id, seq, prev_hash, hash``. Rule: the caller's
    transaction already holds the chain's lock, taken by an *earlier* statement (the head must be
    read by a snapshot taken after the lock was granted)."""
    head, tail = canonical_parts({f: getattr(rec, f) for f in FIELDS if f != "seq"})
    return _append_sql(), [*prepared.row_values(rec, skip=CHAINED), b"\n" + head, tail]


def _insert_one(rec: ChangeRecord) -> None:
    if connection.vendor != "postgresql":
        rec.save(force_insert=True)
        return
    with prepared.cursor() as cur:  # head, chain fields and INSERT in one prepared statement
        cur.execute(*append_sql(rec))
        rec.pk, rec.seq, rec.prev_hash, rec.hash = cur.fetchone()
    rec._state.adding, rec._state.db = False, connection.alias


def append(records: Iterable[ChangeRecord], batch_size: int = 2000, *, locked: bool = False) -> list[ChangeRecord]:
    """Chain and insert unsaved records (their ``occurred_at`` set), in order, under the lock.
    ``locked``: the caller's transaction already holds it (an earlier statement ran ``LOCK_CALL``)."""
    records = list(records)
    if not records:
        return records
    with transaction.atomic(savepoint=False):  # inside a caller's transaction: no savepoint of its own
        if not locked:
            _lock()
        if len(records) == 1 and connection.vendor == "postgresql":
            _insert_one(records[0])  # the head is read by the INSERT itself (append_sql)
            return records
        top = head()
        seq, prev = top["seq"], top["hash"]
        for rec in records:
            seq += 1
            rec.seq, rec.prev_hash = seq, prev
            rec.hash = prev = compute_hash(prev, {f: getattr(rec, f) for f in FIELDS})
        if len(records) == 1:
            _insert_one(records[0])
        else:
            ChangeRecord.objects.bulk_create(records, batch_size=batch_size)
    return records


def _rows() -> Iterator[dict[str, Any]]:
    cols = ("id", "prev_hash", "hash", *FIELDS)
    for values in ChangeRecord.objects.order_by("seq", "id").values_list(*cols).iterator(chunk_size=5000):
        yield dict(zip(cols, values, strict=True))


def _problem(kind: str, row: dict[str, Any], message: str) -> dict[str, Any]:
    return {"kind": kind, "seq": row["seq"], "id": row["id"], "subject": row["subject"],
            "object_id": row["object_id"], "action": row["action"], "message": message}


def _judge(row: dict[str, Any], prev: dict[str, Any], prev2_hash: str,
           nxt: dict[str, Any] | None) -> dict[str, Any] | None:
    """The decision table of the module docstring for one record; None when it fits."""
    own = compute_hash(row["prev_hash"], row) == row["hash"]

    def next_links(h: str) -> bool:
        return nxt is not None and nxt["prev_hash"] == h

    tag = f"#{row['seq']} (id {row['id']})"
    if row["seq"] <= prev["seq"]:
        if next_links(row["hash"]) and not next_links(prev["hash"]):
            return _problem("inserted", prev, f"Catatan #{prev['seq']} (id {prev['id']}) disisipkan: nomor "
                            "urutnya dipakai dua kali dan rantai tidak melewatinya.")
        return _problem("inserted", row, f"Catatan {tag} disisipkan: nomor urut {row['seq']} sudah dipakai "
                        "catatan sebelumnya.")
    if row["prev_hash"] == prev["hash"]:
        if own and row["seq"] == prev["seq"] + 1:
            return None
        if next_links(prev["hash"]):
            return _problem("inserted", row, f"Catatan {tag} disisipkan: catatan sesudahnya menyambung ke "
                            "catatan sebelumnya.")
        return _problem("edited", row, f"Catatan {tag} diubah: isinya tidak cocok lagi dengan hash-nya.")
    if prev["id"] is not None and row["prev_hash"] == prev2_hash:
        return _problem("inserted", prev, f"Catatan #{prev['seq']} (id {prev['id']}) disisipkan: catatan "
                        f"sesudahnya, {tag}, menyambung ke catatan sebelum dia.")
    if own or next_links(row["hash"]):
        first, last = prev["seq"] + 1, row["seq"] - 1
        missing = f"#{first}" if last <= first else f"#{first}–#{last}"
        problem = _problem("deleted", row, f"Catatan {missing} dihapus: catatan {tag} tidak lagi menyambung "
                           f"ke catatan #{prev['seq']}.")
        problem["missing_after_seq"] = prev["seq"]
        return problem
    return _problem("inserted", row, f"Catatan {tag} disisipkan: tidak menyambung ke catatan sebelumnya dan "
                    "hash-nya tidak cocok.")


def verify(anchors: Iterable[tuple[int, str]] = ()) -> dict[str, Any]:
    """Walk the whole chain; ``ok`` and the first problem (kind edited/deleted/inserted/anchor).

    ``anchors``: published (seq, hash) pairs that the chain must still contain."""
    anchors = dict(anchors)
    prev: dict[str, Any] = {"seq": 0, "hash": GENESIS, "id": None, "subject": "", "object_id": "", "action": ""}
    checked, problem, prev2_hash = 0, None, ""
    rows = _rows()
    row = next(rows, None)
    while row is not None:
        nxt = next(rows, None)
        problem = _judge(row, prev, prev2_hash, nxt)
        if problem is None and row["seq"] in anchors and anchors.pop(row["seq"]) != row["hash"]:
            problem = _problem("anchor", row, f"Catatan #{row['seq']} (id {row['id']}) tidak sama dengan "
                               "jangkar yang diterbitkan: riwayat sampai titik ini ditulis ulang.")
        if problem is not None:
            if problem["id"] == prev["id"]:
                checked -= 1  # the record judged good a step ago is the inserted one
            break
        checked += 1
        prev2_hash, prev = prev["hash"], row
        row = nxt
    if problem is None and anchors:
        seq = min(anchors)
        problem = {"kind": "anchor", "seq": seq, "id": None, "subject": "", "object_id": "", "action": "",
                   "message": f"Catatan #{seq} dari jangkar yang diterbitkan tidak ada lagi: riwayat dipotong."}
    return {"ok": problem is None, "checked": checked, "head": {"seq": prev["seq"], "hash": prev["hash"]},
            "problem": problem}
