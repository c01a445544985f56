"""Read a query's rows into a Polars frame without a Python object per row.

On PostgreSQL the rows come through ``COPY (query) TO STDOUT`` as CSV and Polars parses them (an
813,336-row read in a fraction of a second, against seconds through the ORM's tuples); on other
databases (SQLite, the laptop default) through the cursor. Same rows, same types either way: the
columns are named and typed by ``schema``, in the query's column order. Text, integers and booleans
only (CSV carries no time zone Polars would read back the same way).
"""

from __future__ import annotations

import io

import polars as pl
from django.db import connections
from django.db.models import QuerySet

_COPY_TYPES = (pl.Utf8, pl.Int64, pl.Int32, pl.Boolean)


def query_frame(query: QuerySet, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """The rows of ``query`` (a ``values_list`` queryset whose columns match ``schema``) as a frame."""
    alias = query.db
    sql, params = query.query.get_compiler(alias).as_sql()
    return sql_frame(sql, params, schema, alias)


def sql_frame(sql: str, params, schema: dict[str, pl.DataType], alias: str = "default") -> pl.DataFrame:
    """The rows of one ``SELECT`` (Django's ``%s`` placeholders) on database ``alias`` as a frame."""
    connection = connections[alias]
    if connection.vendor != "postgresql" or not all(t in _COPY_TYPES for t in schema.values()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not rows:
            return pl.DataFrame(schema=schema)
        return pl.DataFrame(rows, schema=schema, orient="row")
    with connection.cursor() as cursor:
        return copy_frame(cursor, sql, params, schema)


def copy_frame(cursor, sql: str, params, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Rows of ``sql`` through ``COPY (sql) TO STDOUT`` on a Django PostgreSQL cursor, parsed by Polars.
    COPY takes no server-side parameters; psycopg binds them on the client (as Django does)."""
    buffer = io.BytesIO()
    with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
        for block in copy:
            buffer.write(block)
    if not buffer.tell():
        return pl.DataFrame(schema=schema)
    buffer.seek(0)
    # PostgreSQL writes booleans as t/f, which Polars' CSV reader does not take as booleans
    wanted = {k: (pl.Utf8 if t == pl.Boolean else t) for k, t in schema.items()}
    frame = pl.read_csv(buffer, has_header=False, schema=wanted)
    booleans = [k for k, t in schema.items() if t == pl.Boolean]
    return frame.with_columns([(pl.col(k) == "t").alias(k) for k in booleans]) if booleans else frame
