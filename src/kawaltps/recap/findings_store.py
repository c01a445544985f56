"""Write a fresh run's findings over an election's stored ``Discrepancy`` rows (``discrepancies.recompute``).

Rules (the same on every database): a row whose ``key`` is found again keeps its id and
``first_found_at`` and takes the run's values; a new key is inserted (``first_found_at`` = now); a row
whose key vanished is deleted through the ORM (so the legal filings' links to it go with it, as
Django's collector does); every row of the election left has ``computed_at`` = now. Findings have no
change history beyond these two times.

On PostgreSQL (issue 11.9: thousands of findings of 813,336 TPS) the run goes by ``COPY`` into a
temporary table and three statements (update the matched, insert the new, read back ids), not one
model instance per finding; elsewhere (SQLite) through the ORM as before.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.db import connection

from .models import Discrepancy

FIELDS = (
    "step",
    "code",
    "is_tps",
    "deltas",
    "ours",
    "official",
    "votes_moved",
    "gained",
    "impact_line",
    "impact_margin",
    "impact_rank",
    "detail",
)
_COLUMNS = (
    "key varchar(80), step varchar(24), code varchar(13), is_tps boolean, deltas jsonb, ours jsonb, official jsonb, "
    "votes_moved integer, gained smallint, impact_line integer, impact_margin integer, impact_rank integer, "
    "detail jsonb"
)
_STAGE = "recap_discrepancy_stage"
_DELETE_BATCH = 2000


def write(election, values: dict[str, dict], now: datetime) -> list[Discrepancy]:
    """Bring the election's rows to ``values`` (key → field values of :data:`FIELDS`) as the module
    docstring says; returns the election's rows after the write, in ``values`` order."""
    if connection.vendor == "postgresql":
        return _write_pg(election, values, now)
    return _write_orm(election, values, now)


def _delete(pks: list[int]) -> None:
    for i in range(0, len(pks), _DELETE_BATCH):
        Discrepancy.objects.filter(pk__in=pks[i : i + _DELETE_BATCH]).delete()


def _write_orm(election, values: dict[str, dict], now: datetime) -> list[Discrepancy]:
    existing = {d.key: d for d in Discrepancy.objects.filter(election=election)}
    keep, create, changed = {}, [], []
    for key, row in values.items():
        d = existing.pop(key, None)
        if d is None:
            create.append(Discrepancy(election=election, key=key, computed_at=now, **row))
            continue
        if any(getattr(d, k) != v for k, v in row.items()):
            changed.append(d)
        for k, v in row.items():
            setattr(d, k, v)
        d.computed_at = now
        keep[key] = d
    _delete([d.pk for d in existing.values()])
    Discrepancy.objects.filter(election=election).update(computed_at=now)
    Discrepancy.objects.bulk_update(changed, list(FIELDS), batch_size=1000)
    Discrepancy.objects.bulk_create(create, batch_size=2000)
    keep.update({d.key: d for d in create})
    return [keep[key] for key in values]


def _write_pg(election, values: dict[str, dict], now: datetime) -> list[Discrepancy]:
    table = Discrepancy._meta.db_table
    cols = ", ".join(FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGE} ({_COLUMNS}, PRIMARY KEY (key)) "
            "ON COMMIT DROP"
        )
        cursor.execute(f"TRUNCATE {_STAGE}")
        # the run as one JSON document (one encode, one parameter), spread into rows by the database
        rows = json.dumps([{"key": key, **row} for key, row in values.items()])
        cursor.execute(f"INSERT INTO {_STAGE} SELECT * FROM json_to_recordset(%s::json) AS x({_COLUMNS})", [rows])
        cursor.execute(
            f"SELECT d.id FROM {table} d WHERE d.election_id = %s "
            f"AND NOT EXISTS (SELECT 1 FROM {_STAGE} s WHERE s.key = d.key)",
            [election.pk],
        )
        vanished = [pk for (pk,) in cursor.fetchall()]
    _delete(vanished)  # the ORM's collector: filings' links to a vanished finding go with it
    sets = ", ".join(f"{f} = s.{f}" for f in FIELDS)
    with connection.cursor() as cursor:
        # one rewrite per kept row (its values and the run's time), whether or not a value changed
        cursor.execute(
            f"UPDATE {table} d SET {sets}, computed_at = %s FROM {_STAGE} s "
            "WHERE d.election_id = %s AND d.key = s.key",
            [now, election.pk],
        )
        cursor.execute(
            f"INSERT INTO {table} (election_id, key, {cols}, first_found_at, computed_at) "
            f"SELECT %s, s.key, {', '.join(f's.{f}' for f in FIELDS)}, %s, %s FROM {_STAGE} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} d WHERE d.election_id = %s AND d.key = s.key)",
            [election.pk, now, now, election.pk],
        )
        cursor.execute(f"SELECT key, id FROM {table} WHERE election_id = %s", [election.pk])
        stored = dict(cursor.fetchall())
        cursor.execute(f"DROP TABLE {_STAGE}")
    # rows as the ORM loads them (``from_db``, fields in order; ``first_found_at`` deferred: read when asked)
    names = [f.attname for f in Discrepancy._meta.concrete_fields if f.attname != "first_found_at"]
    out = []
    for key, row in values.items():
        known = {"id": stored[key], "election_id": election.pk, "key": key, "computed_at": now}
        out.append(Discrepancy.from_db(connection.alias, names, [known[n] if n in known else row[n] for n in names]))
    return out
