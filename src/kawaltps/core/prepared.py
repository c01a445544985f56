"""Prepared statements on PostgreSQL for the device fast paths (``results.fastpath``,
``fieldday.fastpath``): a cursor that binds on the server and prepares each statement on its first
use per connection, so PostgreSQL parses and plans it once per connection (``CONN_MAX_AGE``)
instead of on every request. Django's ORM cursors bind on the client and never prepare; this
cursor is wrapped in Django's own wrapper, so errors are translated and the tests' query log
(``CaptureQueriesContext``, ``django_assert_num_queries``) still sees every statement.
"""

from functools import cache

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections
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


def cursor() -> CursorWrapper:
    """A Django cursor wrapper around a prepared, server-binding cursor on the default connection."""
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the proxy (one lookup, not one per use)
    db.ensure_connection()
    raw = db.connection
    if raw.prepare_threshold is None:  # only prepare=True (above) prepares:
        raw.prepare_threshold = 1 << 30  # the ORM's cursors stay as they are
    wrapper = _DebugWrapper if db.queries_logged else CursorWrapper
    return wrapper(_PreparedCursor(raw), db)


@cache
def columns(model) -> list:
    """The columns an INSERT of ``model`` writes (every concrete field but the auto primary key)."""
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def row_values(obj, skip: tuple[str, ...] = ()) -> list:
    """The values of unsaved ``obj`` as the ORM's INSERT writes them (defaults, ``auto_now``), in
    :func:`columns` order, less the fields named in ``skip``."""
    db = connections[DEFAULT_DB_ALIAS]
    return [f.get_db_prep_save(f.pre_save(obj, True), db) for f in columns(type(obj)) if f.name not in skip]


@cache
def insert_sql(model, skip: tuple[str, ...] = ()) -> str:
    """``INSERT INTO table (columns) VALUES (%s, …)`` for :func:`row_values` (build once, keep the text)."""
    cols = [f.column for f in columns(model) if f.name not in skip]
    return f"INSERT INTO {model._meta.db_table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
