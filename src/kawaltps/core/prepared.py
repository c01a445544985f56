"""Prepared statements on PostgreSQL for the device fast paths (``results.fastpath``,
``fieldday.fastpath``): a cursor that binds on the server and prepares each statement on its first
use per connection, so PostgreSQL parses and plans it once per connection (``CONN_MAX_AGE``)
instead of on every request. Django's ORM cursors bind on the client and never prepare; this
cursor is wrapped in Django's own wrapper, so errors are translated and the tests' query log
(``CaptureQueriesContext``, ``django_assert_num_queries``) still sees every statement.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from types import SimpleNamespace

import psycopg
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper


class _PreparedCursor(psycopg.Cursor):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


class _DebugWrapper(CursorDebugWrapper):
    """Logs the statement's text (Django's log has no text for server-side bound queries)."""

    def execute(self, sql, params=None):
        try:
            return super().execute(sql, params)
        finally:
            if self.db.queries_log and self.db.queries_log[-1]["sql"] is None:
                self.db.queries_log[-1]["sql"] = sql


def cursor(prepare: bool = True) -> CursorWrapper:
    """A Django cursor wrapper around a prepared, server-binding cursor on the default connection
    (``prepare=False``: server-binding, never prepared, e.g. for BEGIN and COMMIT)."""
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the proxy (one lookup, not one per use)
    db.ensure_connection()
    raw = db.connection
    if raw.prepare_threshold is None:  # only prepare=True (above) prepares:
        raw.prepare_threshold = 1 << 30  # the ORM's cursors stay as they are
    wrapper = _DebugWrapper if db.queries_logged else CursorWrapper
    return wrapper((_PreparedCursor if prepare else psycopg.Cursor)(raw), db)


SAVEPOINT = "kawaltps_pipelined"


@contextmanager
def pipelined_transaction() -> Iterator[CursorWrapper]:
    """One short write transaction in two round trips (psycopg's pipeline mode): yields a prepared
    cursor whose statements queue; the first fetch sends ``BEGIN`` with the statements queued so far,
    and the end sends the rest with ``COMMIT``. Inside an atomic block (tests, a caller's
    transaction) a savepoint stands for BEGIN/COMMIT. An error (of a statement, of the commit, or
    raised in the block) rolls back and is raised as Django's (``IntegrityError`` …).
    Rules: no Django ``transaction`` call and no other cursor inside the block; a statement's
    result is read with ``fetchone`` only where the next statement needs it (each fetch is a round
    trip)."""
    db = connections[DEFAULT_DB_ALIAS]
    nested = not db.get_autocommit()
    if nested:
        db.validate_no_broken_transaction()
    begin, end, undo = ((f"SAVEPOINT {SAVEPOINT}", f"RELEASE SAVEPOINT {SAVEPOINT}",
                         f"ROLLBACK TO SAVEPOINT {SAVEPOINT}; RELEASE SAVEPOINT {SAVEPOINT}")
                        if nested else ("BEGIN", "COMMIT", "ROLLBACK"))
    control, cur = cursor(prepare=False), cursor()
    raw = db.connection
    try:
        with db.wrap_database_errors, raw.pipeline():
            control.execute(begin)
            yield cur
            control.execute(end)
    except BaseException:
        if raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            with db.wrap_database_errors:
                raw.execute(undo)  # outside the pipeline (it synced and left on the error)
        raise
    finally:
        control.close()
        cur.close()


def fetchone(sql: str, params) -> tuple | None:
    """One row of a read-only statement, standing in for the connection's health check
    (``CONN_HEALTH_CHECKS``) when one is due: Django would send ``SELECT 1`` first and reconnect if it
    failed; here the read is that check. Rule: a dead connection (OperationalError/InterfaceError)
    outside a transaction is closed and the read sent once more on a new one, as Django's check
    would have done; inside a transaction, or when no check was due, the error is raised."""
    db = connections[DEFAULT_DB_ALIAS]
    check = (db.connection is not None and db.health_check_enabled and not db.health_check_done
             and not db.in_atomic_block)
    try:
        with cursor() as cur:
            cur.execute(sql, params)
            row = cur.fetchone()
    except (OperationalError, InterfaceError):
        if not check:
            raise
        db.close()
        with cursor() as cur:  # a fresh connection (its connect marks the check done)
            cur.execute(sql, params)
            row = cur.fetchone()
    if check:
        db.health_check_done = True
    return row


@cache
def columns(model) -> list:
    """The columns an INSERT of ``model`` writes (every concrete field but the auto primary key)."""
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def row_values(obj, skip: tuple[str, ...] = ()) -> list:
    """The values of unsaved ``obj`` as the ORM's INSERT writes them (defaults, ``auto_now``), in
    :func:`columns` order, less the fields named in ``skip``."""
    db = connections[DEFAULT_DB_ALIAS]
    return [f.get_db_prep_save(f.pre_save(obj, True), db) for f in columns(type(obj)) if f.name not in skip]


def values(model, given: dict, skip: tuple[str, ...] = ()) -> list:
    """:func:`row_values` without a model instance: ``given`` maps field attnames (``election_id``,
    ``at``…) to values; a field not given takes its default, ``auto_now``/``auto_now_add`` the
    current time, exactly as ``pre_save`` of an unsaved instance gives them."""
    db = connections[DEFAULT_DB_ALIAS]
    fields = [f for f in columns(model) if f.name not in skip]
    row = SimpleNamespace(**{f.attname: given[f.attname] if f.attname in given else f.get_default() for f in fields})
    return [f.get_db_prep_save(f.pre_save(row, True), db) for f in fields]


@cache
def insert_sql(model, skip: tuple[str, ...] = ()) -> str:
    """``INSERT INTO table (columns) VALUES (%s, …)`` for :func:`row_values` (build once, keep the text)."""
    cols = [f.column for f in columns(model) if f.name not in skip]
    return f"INSERT INTO {model._meta.db_table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
