"""Write a parsed batch in ONE transaction: TPS, results, import submissions, then the tallies.

Pseudo-code of the general path (SQLite: every row; PostgreSQL: only rows whose result already
exists — new TPS, results and their submissions are COPYed straight into their tables by
:mod:`.fastcopy`, which is what keeps the 2019 file under 30 s):

    BEGIN
      staging tables  <- COPY (PostgreSQL, psycopg ``cursor.copy``) / executemany (SQLite)
      regions_tps     <- INSERT the staged TPS not yet in the election   (ON CONFLICT DO NOTHING)
      staged results  -= those whose client_id is already a Submission  (this exact row was loaded)
      results_tpsresult <- upsert the rest (ON CONFLICT (election, tps, source) DO UPDATE, version+1)
      results_submission <- one "import" submission per upserted row     (ON CONFLICT DO NOTHING)
      audit           <- one ChangeRecord for the whole import
      RegionTally     <- rebuild_tallies(election, source) for each source touched
    COMMIT

Killing the process anywhere before COMMIT leaves the database as it was; running the same command
again loads everything. Running it again after COMMIT changes nothing (every client_id is known).
"""

import io
import json
import time
from concurrent.futures import ThreadPoolExecutor

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from kawaltps.audit.services import record_change
from kawaltps.elections.models import Election
from kawaltps.results.tabulation import rebuild_tallies

from . import fastcopy, vector_checks
from .base import Batch, Report, finish_rows

STG_TPS = "stg_import_tps"
STG_RES = "stg_import_result"
RES_COLS = ["code", "source", "client_id", "votes", "numbers", "flags", "flagged", "valid", "invalid", "total",
            "voters"]


def _create_staging(cursor, postgres: bool) -> None:
    temp = "CREATE TEMP TABLE {} ({})" + (" ON COMMIT DROP" if postgres else "")
    for name in (STG_TPS, STG_RES):
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(temp.format(STG_TPS, "code varchar(13), kel_code varchar(10), number integer, "
                                        "dpt_l integer, dpt_p integer"))
    cursor.execute(temp.format(STG_RES, "code varchar(13), source varchar(10), client_id varchar(64), votes text, "
                                        "numbers text, flags text, flagged boolean, valid integer, invalid integer, "
                                        "total integer, voters integer"))


def _fill(cursor, postgres: bool, table: str, columns: list[str], rows) -> None:
    if postgres:
        frame = rows if isinstance(rows, pl.DataFrame) else pl.DataFrame(rows, schema=columns, orient="row")
        buf = io.BytesIO()
        frame.write_csv(buf, include_header=False)
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT csv)") as copy:
            copy.write(buf.getvalue())
    else:
        data = rows.iter_rows() if isinstance(rows, pl.DataFrame) else rows
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", list(data))


def load(election: Election, batch: Batch, report: Report, *, state: str = "entered", user=None,
         filename: str = "", progress=None, stage=None) -> Report:
    """Write ``batch`` for ``election``; fills ``report`` (tps_created, loaded, unchanged, flagged).

    Official rows asked to be ``verified`` are stored as ``official`` (:func:`state_for`)."""
    postgres = connection.vendor == "postgresql"
    now = timezone.now()
    note = f"impor {filename}"[:500]
    sources = sorted(set(batch.results["source"].to_list())) if batch.results.height else []
    # outside the transaction, so the job's page shows them (finish_rows keeps every row)
    if progress is not None:
        progress(batch.results.height)
    if stage:
        stage(f"menulis {batch.results.height} hasil TPS ke basis data")
    with ThreadPoolExecutor(1) as pool, transaction.atomic(), connection.cursor() as cur:
        checking = pool.submit(_checked, election, batch, report) if postgres and vector_checks.covers_all() \
            else None
        if postgres:
            cur.execute("SET LOCAL work_mem = '256MB'")
            _skip_fk_triggers(cur)
            fastcopy.lock(cur)
            with report.timed("tps"):
                tps_ids = fastcopy.write_tps(cur, election, batch.tps, report)
                fastcopy.analyze(cur, "regions_tps", report.tps_created)
        rows = checking.result() if checking else _checked(election, batch, report)
        if postgres:
            with report.timed("results"):
                fresh, rows = fastcopy.split_new(cur, election, rows)
                fresh = fastcopy.write_results(cur, election, fresh, tps_ids, state, now, report,
                                               official_state=state_for(state, "official"))
                fastcopy.analyze(cur, "results_tpsresult", fresh.height)
            with report.timed("submissions"):
                fastcopy.write_submissions(cur, fresh, getattr(user, "pk", None), note, now)
                fastcopy.analyze(cur, "results_submission", fresh.height)
            with report.timed("upserts"):
                rows = fastcopy.drop_known(cur, rows, report)
        if not postgres or rows.height:
            with report.timed("upserts"):
                _upsert(cur, postgres, election, batch, rows, report, state=state, user=user, note=note, now=now)
        record_change(user=user, subject="results.Import", object_id=filename[:64], code=election.scope_id or "",
                      election_slug=election.slug, action="import",
                      after=json.loads(json.dumps({k: v for k, v in report.as_dict().items() if k != "rejected"})))
        # a source with no row written and no new TPS has the tallies it had (a rerun: ~9 s saved)
        for source in (s for s in sources if report.loaded[s] or report.tps_created):
            if stage:
                stage(f"menghitung rekap wilayah ({source})")
            with report.timed("tallies"):
                rebuild_tallies(election, source)
        committing = time.perf_counter()
    report.timings["commit"] = round(time.perf_counter() - committing, 3)
    return report


def _checked(election: Election, batch: Batch, report: Report) -> pl.DataFrame:
    """:func:`finish_rows` timed as ``checks``. On PostgreSQL it runs in a thread while the server
    writes the TPS (client CPU beside server CPU: ~5 s of the 2019 file); Polars frees the GIL.
    Only when :mod:`.vector_checks` knows every rule: the per-row fallback may read the database,
    which a thread would do on another connection, outside this transaction."""
    with report.timed("checks"):
        return finish_rows(election, batch)


def state_for(state: str, source: str) -> str:
    """The state an imported row gets: KPU's rows are never "verified" (two of our clerks agreeing) but
    ``official`` (published by KPU); an ``entered`` official row stays entered (not yet checked)."""
    return "official" if source == "official" and state == "verified" else state


def _upsert(cur, postgres: bool, election: Election, batch: Batch, rows: pl.DataFrame, report: Report, *,
            state: str, user, note: str, now) -> None:
    """The general path: staging tables, then INSERT…SELECT with ON CONFLICT (every row on SQLite;
    on PostgreSQL only the rows whose result already exists, see :mod:`.fastcopy`)."""
    jsonb = "::jsonb" if postgres else ""
    _create_staging(cur, postgres)
    if not postgres:
        _fill(cur, postgres, STG_TPS, ["code", "kel_code", "number", "dpt_l", "dpt_p"],
              batch.tps.select("code", "kel_code", "number", "dpt_l", "dpt_p"))
    _fill(cur, postgres, STG_RES, RES_COLS, rows)
    cur.execute(f"CREATE INDEX {STG_RES}_code ON {STG_RES} (code, source)")
    cur.execute(f"CREATE INDEX {STG_RES}_cid ON {STG_RES} (client_id)")
    cur.execute(f"ANALYZE {STG_RES}")
    if not postgres:
        cur.execute(f"""INSERT INTO regions_tps (election_id, code, kelurahan_id, number, dpt_l, dpt_p, dpt,
                            address, latitude, longitude)
                        SELECT %s, code, kel_code, number, dpt_l, dpt_p, dpt_l + dpt_p, '', NULL, NULL
                        FROM {STG_TPS} WHERE true ORDER BY code
                        ON CONFLICT (election_id, code) DO NOTHING""", [election.pk])
        report.tps_created = max(cur.rowcount, 0)
    cur.execute(f"DELETE FROM {STG_RES} WHERE EXISTS "
                f"(SELECT 1 FROM results_submission x WHERE x.client_id = {STG_RES}.client_id)")
    staged = dict(rows.group_by("source").len().iter_rows())
    for source, n in _count_by_source(cur):
        report.unchanged[source] += staged.get(source, 0) - n
        report.loaded[source] += n
    cur.execute(f"SELECT source, count(*) FROM {STG_RES} WHERE flagged GROUP BY source")
    for source, n in cur.fetchall():
        report.flagged[source] += n
    cur.execute(f"""INSERT INTO results_tpsresult (election_id, tps_id, code, source, state, votes, numbers,
                        valid, invalid, total, voters, flags, flagged, version, updated_at)
                    SELECT %s, t.id, s.code, s.source, CASE WHEN s.source = 'official' THEN %s ELSE %s END,
                           s.votes{jsonb}, s.numbers{jsonb}, s.valid,
                           s.invalid, s.total, s.voters, s.flags{jsonb}, s.flagged, 1, %s
                    FROM {STG_RES} s JOIN regions_tps t ON t.election_id = %s AND t.code = s.code WHERE true
                    ORDER BY s.code, s.source
                    ON CONFLICT (election_id, tps_id, source) DO UPDATE SET
                        state = excluded.state, votes = excluded.votes, numbers = excluded.numbers,
                        valid = excluded.valid, invalid = excluded.invalid, total = excluded.total,
                        voters = excluded.voters, flags = excluded.flags, flagged = excluded.flagged,
                        version = results_tpsresult.version + 1, updated_at = excluded.updated_at""",
                [election.pk, state_for(state, "official"), state, now, election.pk])
    cur.execute(f"""INSERT INTO results_submission (result_id, client_id, kind, entered_by_id, votes, numbers,
                        flags, note, created_at)
                    SELECT r.id, s.client_id, 'import', %s, s.votes{jsonb}, s.numbers{jsonb}, s.flags{jsonb},
                           %s, %s
                    FROM {STG_RES} s JOIN results_tpsresult r
                         ON r.election_id = %s AND r.source = s.source AND r.code = s.code WHERE true
                    ORDER BY s.client_id
                    ON CONFLICT (client_id) DO NOTHING""",
                [getattr(user, "pk", None), note, now, election.pk])
    for name in (STG_TPS, STG_RES):
        cur.execute(f"DROP TABLE IF EXISTS {name}")


def _skip_fk_triggers(cur) -> None:
    """Skip PostgreSQL's per-row foreign-key triggers for this transaction when the role may.

    Every row written here is joined to the row it references (TPS → kelurahan/election, result →
    TPS, submission → result) inside the same transaction, so the references hold by construction;
    the deferred triggers would re-check 2–3 references per row at COMMIT (most of the load time).
    Needs superuser (``session_replication_role``); without it the triggers simply run.
    """
    cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if cur.fetchone()[0]:
        cur.execute("SET LOCAL session_replication_role = replica")
        # the load writes GBs of WAL; full-page images after each checkpoint are most of it
        cur.execute("SET LOCAL wal_compression = pglz")


def _count_by_source(cur) -> list[tuple[str, int]]:
    cur.execute(f"SELECT source, count(*) FROM {STG_RES} GROUP BY source")
    found = dict(cur.fetchall())
    return [(s, found.get(s, 0)) for s in ("witness", "official")]
