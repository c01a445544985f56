"""Every TPS of an election with both sources' numbers, in one read: one row per TPS of the register.

``kawaltps discrepancies`` needs three frames of the whole election (issue 11.9: 813,336 TPS of 2019):
the register's codes, our saksi's results (any state) and Sirekap's (with ``voters``/``invalid``).
Read as three queries they are 2.4 million rows, and on PostgreSQL the client's cost is per row
(psycopg hands ``COPY`` over one row a call). Here the database joins them: the register left-joined
to each source on the TPS, the paslon's votes taken out of the JSON by the database (no JSON text
crosses the wire, none is decoded in Python), so one read of 813,336 rows gives all three.

Rules: a result belongs to the TPS it points at (``TpsResult.tps``; its ``code`` is that TPS's code);
a paslon's votes are null when the result has no number for them (not compared, as before); a
result with no row (neither source) leaves its TPS in the register only.
"""

from __future__ import annotations

import polars as pl
from django.db import connection

from kawaltps.core.frames import sql_frame
from kawaltps.elections.models import Election


def _vote(alias: str, number: int) -> tuple[str, str]:
    """SQL for one paslon's votes of a result row as a bigint (null when absent), and its parameter."""
    if connection.vendor == "postgresql":
        return f"({alias}.votes ->> %s)::bigint", str(number)
    return f"CAST(json_extract({alias}.votes, %s) AS INTEGER)", f'$."{number}"'


def tps_frames(election: Election, numbers: list[int]) -> dict[str, pl.DataFrame]:
    """From one query: ``codes`` (the register: ``code``), ``witness`` (votes frame + ``state``, every
    state), ``official`` (votes frame + ``voters``, ``invalid``), ``register`` (per TPS: ``state``,
    ``complete``, ``has_ours``, ``has_official``, for :func:`engine.not_compared_counts` and
    :func:`coverage.per_register_tps`) and ``joined`` (the rows as read, for :func:`pairs`)."""
    from kawaltps.regions.models import TPS
    from kawaltps.results.models import TpsResult

    tps, results = TPS._meta.db_table, TpsResult._meta.db_table
    columns, params = [], []
    for alias in ("w", "o"):
        for n in numbers:
            sql, param = _vote(alias, n)
            columns.append(f"{sql} AS {alias}{n}")
            params.append(param)
    sql = (
        f"SELECT t.code, w.state, o.id AS official_id, o.voters, o.invalid, {', '.join(columns)} "
        f"FROM {tps} t "
        f"LEFT JOIN {results} w ON w.tps_id = t.id AND w.election_id = %s AND w.source = 'witness' "
        f"LEFT JOIN {results} o ON o.tps_id = t.id AND o.election_id = %s AND o.source = 'official' "
        "WHERE t.election_id = %s"
    )
    schema = {"code": pl.Utf8, "state": pl.Utf8, "official_id": pl.Int64, "voters": pl.Int64, "invalid": pl.Int64}
    schema |= {f"{a}{n}": pl.Int64 for a in ("w", "o") for n in numbers}
    local = connection.vendor == "postgresql" and connection.in_atomic_block
    if local:
        # JIT compiling this one scan costs more than it saves (≈ 1 s of 6 on the shared 2 cores); pages
        # are costed as on SSD / in cache (random_page_cost 1.1, the usual value there), so where results
        # lie in TPS order (a bulk import) the planner merges three index scans instead of hashing two
        # copies of the results table (≈ 2.1 s against 3.0 s for the 2019 register, EXPLAIN ANALYZE); with the covering
        # indexes of migration recap.0007 the three are index-only scans merged in TPS order (≈ 1.1 s)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off; SET LOCAL random_page_cost = 1.1")
    frame = sql_frame(sql, [*params, election.pk, election.pk, election.pk], schema)
    if local:
        with connection.cursor() as cursor:
            cursor.execute("RESET random_page_cost")  # the rest of the run plans as configured
    w, o = [f"w{n}" for n in numbers], [f"o{n}" for n in numbers]
    votes = [f"c{n}" for n in numbers]
    witness = frame.filter(pl.col("state").is_not_null()).select(
        "code", *[pl.col(a).alias(c) for a, c in zip(w, votes, strict=True)], "state"
    )
    official = frame.filter(pl.col("official_id").is_not_null()).select(
        "code", *[pl.col(a).alias(c) for a, c in zip(o, votes, strict=True)], "voters", "invalid"
    )
    complete = pl.all_horizontal([pl.col(x).is_not_null() for x in w])
    register = frame.select(
        "code",
        "state",
        complete.alias("complete"),
        (pl.col("state").is_not_null() & complete).alias("has_ours"),
        pl.all_horizontal([pl.col(x).is_not_null() for x in o]).alias("has_official"),
    )
    return {"codes": frame.select("code"), "witness": witness, "official": official, "register": register,
            "joined": frame}  # fmt: skip


def pairs(joined: pl.DataFrame, numbers: list[int], states) -> pl.DataFrame:
    """Step 1's pairs from :func:`tps_frames`' ``joined``: TPS whose result of ours is in ``states`` and
    where both sides have every paslon's number; ``o<n>`` ours, ``u<n>`` Sirekap's."""
    w, o = [f"w{n}" for n in numbers], [f"o{n}" for n in numbers]
    both = pl.col("state").is_in(list(states)) & pl.all_horizontal([pl.col(x).is_not_null() for x in (*w, *o)])
    return joined.filter(both).select(
        "code",
        *[pl.col(f"w{n}").alias(f"o{n}") for n in numbers],
        *[pl.col(f"o{n}").alias(f"u{n}") for n in numbers],
    )
