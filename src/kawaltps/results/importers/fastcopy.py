"""PostgreSQL bulk path of the loader: new TPS, new results and their import submissions go
straight into their tables by ``COPY`` with ids drawn from the tables' own sequences.

Why: ``INSERT … SELECT … ON CONFLICT`` inserts row by row with a speculative check of the
arbiter index, then the submissions joined the results back to find their ids; for the 2019 file
(813,336 TPS, 1.6 million results) that was ~50 of the 84 s. ``COPY`` batches heap writes, and
the ids are known beforehand (a block of each table's sequence, see :func:`_ids`), so no
row is read back.

Rules (the same outcome as the general path in :mod:`.loader`):

- only *new* rows take this path: a TPS whose code the election lacks, a result whose (TPS,
  source) has no row yet (such a result cannot have submissions, so its ``client_id`` is new:
  submissions cascade with their result). Every other row goes through the general upsert;
- while it runs, ``regions_tps`` and ``results_tpsresult`` are locked in SHARE ROW EXCLUSIVE
  mode (readers go on, other writers of those tables wait until COMMIT, as they already waited
  for the rows the upsert touched): nobody can create the rows judged new in between;
- one transaction with the rest of the import (a kill before COMMIT leaves nothing).
"""

import io

import polars as pl

from kawaltps.core.frames import copy_frame

from .base import Report

TPS_COLS = ["id", "election_id", "code", "kelurahan_id", "number", "dpt_l", "dpt_p", "dpt", "address"]
RESULT_COLS = ["id", "election_id", "tps_id", "code", "source", "state", "votes", "numbers", "valid", "invalid",
               "total", "voters", "flags", "flagged", "version", "updated_at"]
SUBMISSION_COLS = ["result_id", "client_id", "kind", "entered_by_id", "votes", "numbers", "flags", "note",
                   "created_at"]


def lock(cur) -> None:
    """Hold off other writers of TPS and results until COMMIT (see the module docstring)."""
    cur.execute("LOCK TABLE regions_tps, results_tpsresult IN SHARE ROW EXCLUSIVE MODE")


def _ids(cur, table: str, n: int) -> pl.Series:
    """``n`` fresh ids from ``table``'s own id sequence, taken as one block.

    ``setval(seq, nextval(seq) + n - 1)`` reserves ``[first, first + n)`` in one statement (drawing
    them one by one with ``nextval`` over ``generate_series`` and reading them back cost a minute
    for the 2019 file). Safe because :func:`lock` is held: every other user of these sequences is
    an INSERT or COPY into the locked table, which opens the table (and waits) before it draws an
    id. Were an id ever drawn in between anyway, the COPY fails on the primary key and the whole
    import rolls back: never a wrong row."""
    if n == 0:
        return pl.Series("id", [], dtype=pl.Int64)
    seq = f"pg_get_serial_sequence('{table}', 'id')"
    cur.execute(f"SELECT setval({seq}, nextval({seq}) + %s - 1)", [n])
    last = cur.fetchone()[0]
    return pl.int_range(last - n + 1, last + 1, dtype=pl.Int64, eager=True).alias("id")


COPY_CHUNK = 100_000  # rows per CSV chunk: the server parses one while the client encodes the next


def _copy(cur, table: str, frame: pl.DataFrame, force_not_null: tuple[str, ...] = ()) -> None:
    options = "FORMAT csv" + (f", FORCE_NOT_NULL ({', '.join(force_not_null)})" if force_not_null else "")
    with cur.cursor.copy(f"COPY {table} ({', '.join(frame.columns)}) FROM STDIN ({options})") as copy:
        for chunk in frame.iter_slices(COPY_CHUNK):
            buf = io.BytesIO()
            chunk.write_csv(buf, include_header=False)
            copy.write(buf.getvalue())


def write_tps(cur, election, tps: pl.DataFrame, report: Report) -> pl.DataFrame:
    """Create the batch's TPS the election lacks; return ``code → tps_id`` for every TPS of the batch."""
    known = copy_frame(cur, "SELECT code, id FROM regions_tps WHERE election_id = %s", [election.pk],
                   {"code": pl.String, "tps_id": pl.Int64})
    new = tps.join(known, on="code", how="anti").sort("code")
    new = new.with_columns(_ids(cur, "regions_tps", new.height).alias("id"))
    _copy(cur, "regions_tps", new.select(
        "id", pl.lit(election.pk).alias("election_id"), "code", pl.col("kel_code").alias("kelurahan_id"), "number",
        "dpt_l", "dpt_p", (pl.col("dpt_l") + pl.col("dpt_p")).alias("dpt"), pl.lit("").alias("address")),
        force_not_null=("address",))
    report.tps_created = new.height
    return pl.concat([known, new.select("code", pl.col("id").alias("tps_id"))])


def split_new(cur, election, rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows whose result is new, rows whose result exists already)."""
    known = copy_frame(cur, "SELECT code, source FROM results_tpsresult WHERE election_id = %s", [election.pk],
                   {"code": pl.String, "source": pl.String})
    if known.height == 0:
        return rows, rows.clear()
    return rows.join(known, on=["code", "source"], how="anti"), rows.join(known, on=["code", "source"], how="semi")


def write_results(cur, election, fresh: pl.DataFrame, tps_ids: pl.DataFrame, state: str, now,
                  report: Report, *, official_state: str | None = None) -> pl.DataFrame:
    """COPY the new results (version 1); returns ``fresh`` with their ``result_id``."""
    fresh = fresh.join(tps_ids, on="code", how="inner").sort("code", "source")
    fresh = fresh.with_columns(_ids(cur, "results_tpsresult", fresh.height).alias("result_id"))
    stamp = now.isoformat()
    _copy(cur, "results_tpsresult", fresh.select(
        pl.col("result_id").alias("id"), pl.lit(election.pk).alias("election_id"), "tps_id", "code", "source",
        pl.when(pl.col("source") == "official").then(pl.lit(official_state or state)).otherwise(pl.lit(state))
        .alias("state"), "votes", "numbers", "valid", "invalid", "total", "voters", "flags", "flagged",
        pl.lit(1).alias("version"), pl.lit(stamp).alias("updated_at")))
    for source, n, flagged in fresh.group_by("source").agg(pl.len(), pl.col("flagged").sum()).iter_rows():
        report.loaded[source] += n
        report.flagged[source] += flagged
    return fresh


def write_submissions(cur, fresh: pl.DataFrame, user_id: int | None, note: str, now) -> None:
    """One ``import`` submission per new result (ids from the column's default), made by the server.

    Only ``(result_id, client_id)`` travel (a COPY into a temp table); votes, numbers and flags are
    taken from the results just COPYed (``INSERT … SELECT``): the 3 JSON columns are neither
    encoded again on the client nor parsed again by the server (1.6 M rows of the 2019 file)."""
    if fresh.height == 0:
        return
    cur.execute("CREATE TEMP TABLE stg_import_sub (result_id bigint, client_id varchar(64)) ON COMMIT DROP")
    _copy(cur, "stg_import_sub", fresh.select("result_id", "client_id"))
    cur.execute("ANALYZE stg_import_sub")
    cur.execute("""INSERT INTO results_submission (result_id, client_id, kind, entered_by_id, votes, numbers,
                       flags, note, created_at)
                   SELECT s.result_id, s.client_id, 'import', %s, r.votes, r.numbers, r.flags, %s, %s
                   FROM stg_import_sub s JOIN results_tpsresult r ON r.id = s.result_id
                   ORDER BY s.result_id""", [user_id, note, now])
    cur.execute("DROP TABLE stg_import_sub")


ANALYZE_AFTER = 10_000  # rows written by one import: past this the planner's statistics are stale


def analyze(cur, table: str, written: int) -> None:
    """``ANALYZE table`` when this import wrote many rows to it: the rest of the import (the
    submissions' join, the tally GROUP BY) and every reader after it plan with the new size
    (autovacuum would get there only after COMMIT, later). A sample of 30,000 rows: under a second."""
    if written >= ANALYZE_AFTER:
        cur.execute(f"ANALYZE {table}")


def drop_known(cur, rows: pl.DataFrame, report: Report) -> pl.DataFrame:
    """``rows`` less those whose ``client_id`` is already a submission (loaded before, unchanged),
    counted in ``report.unchanged``. Only the client ids travel (one COPY into a temp table and the
    unknown ones back), so a rerun of the 2019 file stages no full row."""
    if rows.height == 0:
        return rows
    cur.execute("CREATE TEMP TABLE stg_import_cid (client_id varchar(64)) ON COMMIT DROP")
    _copy(cur, "stg_import_cid", rows.select("client_id"))
    cur.execute("SELECT s.client_id FROM stg_import_cid s WHERE NOT EXISTS "
                "(SELECT 1 FROM results_submission x WHERE x.client_id = s.client_id)")
    unknown = pl.Series("client_id", [r[0] for r in cur.fetchall()], dtype=pl.String)
    cur.execute("DROP TABLE stg_import_cid")
    known = rows.filter(~pl.col("client_id").is_in(unknown.implode()))
    for source, n in known.group_by("source").len().iter_rows():
        report.unchanged[source] += n
    return rows.filter(pl.col("client_id").is_in(unknown.implode()))
