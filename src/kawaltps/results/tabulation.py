"""Tabulation: rebuild every ``RegionTally`` of an election from scratch, and read them back.

:func:`rebuild_tallies` follows the rules of :func:`kawaltps.results.tally.contribution` exactly
(``tally.py`` keeps the same rows current one TPS at a time; the two must agree):

- ``votes`` per paslon, ``valid``, ``invalid``, ``total``: sums over results that are entered
  (state entered, verified, disputed or final); a missing number counts as 0; zero votes are dropped;
- ``tps_entered`` / ``tps_verified`` (verified or final) / ``tps_disputed`` / ``tps_flagged``
  (``flagged``, whatever the state) / ``tps_received`` / ``tps_<field>_known``: counts of results
  (the SQL of each is ``tally.COUNTER_SQL``, beside ``contribution``);
- ``tps_total``: the election's TPS under the region (``regions.TPS``).

It is vectorised: one SQL GROUP BY on the 10-character kelurahan prefix for the results and one for
the TPS, then Polars rolls the kelurahan rows up to kecamatan (6), kab/kota (4) and provinsi (2).
There is no Python loop per TPS. Vote keys are the election's candidate numbers.
"""

import io
import json

import polars as pl
from django.db import connection, connections, transaction
from django.utils import timezone

from kawaltps.core.dbrouter import read_alias
from kawaltps.regions.codes import Level

from . import tally
from .models import RegionTally
from .tally import fold_pending

PREFIXES = {Level.PROVINSI: 2, Level.KABKOTA: 4, Level.KECAMATAN: 6, Level.KELURAHAN: 10}
COUNTERS = list(tally.COUNTERS)
ENTERED_SQL = "state IN ('entered', 'verified', 'disputed', 'final', 'official')"


def _vote_sql(number: int) -> str:
    if connection.vendor == "postgresql":
        return f"(votes->>'{number}')::bigint"
    return f"CAST(json_extract(votes, '$.\"{number}\"') AS INTEGER)"


def _kelurahan_sums(election, source: str, candidates: list[int]) -> pl.DataFrame:
    def when_entered(expr: str) -> str:
        return f"SUM(CASE WHEN {ENTERED_SQL} THEN COALESCE({expr}, 0) ELSE 0 END)"

    votes = [f"{when_entered(_vote_sql(n))} AS v{n}" for n in candidates]
    counters = ", ".join(f"SUM({tally.COUNTER_SQL[c]}) AS {c}" for c in COUNTERS)
    sql = f"""SELECT substr(code, 1, 10) AS kel, {counters}
                     {''.join(', ' + v for v in votes)}
              FROM results_tpsresult WHERE election_id = %s AND source = %s GROUP BY substr(code, 1, 10)"""
    columns = ["kel", *COUNTERS, *[f"v{n}" for n in candidates]]
    with connection.cursor() as cur:
        cur.execute(sql, [election.pk, source])
        results = pl.DataFrame(cur.fetchall(), schema={"kel": pl.String, **{c: pl.Int64 for c in columns[1:]}},
                               orient="row")
        cur.execute("SELECT substr(code, 1, 10), count(*) FROM regions_tps WHERE election_id = %s "
                    "GROUP BY substr(code, 1, 10)", [election.pk])
        tps = pl.DataFrame(cur.fetchall(), schema={"kel": pl.String, "tps_total": pl.Int64}, orient="row")
    return (tps.join(results, on="kel", how="full", coalesce=True)
            .with_columns(pl.exclude("kel").fill_null(0)))


def compute_tallies(election, source: str) -> pl.DataFrame:
    """Every region row (code, level, tps_total, counters, v<n>) of ``election``/``source``."""
    candidates = sorted(election.candidates.values_list("number", flat=True))
    kel = _kelurahan_sums(election, source, candidates)
    sums = [c for c in kel.columns if c != "kel"]
    frames = [kel.group_by(pl.col("kel").str.slice(0, n).alias("code")).agg(pl.col(sums).sum())
              .with_columns(pl.lit(int(level)).alias("level"))
              for level, n in PREFIXES.items()]
    return pl.concat(frames).sort("code")


TALLY_COLUMNS = ["election_id", "source", "code", "level", "votes", "tps_total", *COUNTERS, "updated_at"]


def _write(frame: pl.DataFrame) -> None:
    """Insert the rows: COPY on PostgreSQL, executemany on SQLite (the ORM is 10x slower here)."""
    cols = ", ".join(TALLY_COLUMNS)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            buf = io.BytesIO()
            frame.write_csv(buf, include_header=False)
            with cur.cursor.copy(f"COPY results_regiontally ({cols}) FROM STDIN (FORMAT csv)") as copy:
                copy.write(buf.getvalue())
        else:
            marks = ", ".join(["%s"] * len(TALLY_COLUMNS))
            cur.executemany(f"INSERT INTO results_regiontally ({cols}) VALUES ({marks})", list(frame.iter_rows()))


def _lock_for_rebuild(election) -> None:
    """Hold, until the transaction ends, what makes a rebuild exact while submissions run.

    - the folders' lock (``pg_advisory_xact_lock(tally.LOCK_CLASS, election id)``, the one
      ``tally.fold_pending`` takes): no folder adds deltas to rows we are replacing;
    - ``results_tpsresult`` in SHARE mode: a submission in flight (it writes its result and its
      ``TallyDelta`` in one transaction) either committed before (counted by our GROUP BY, its delta
      dropped below) or waits until we commit (its delta then applies to the rebuilt rows).
      Submissions pause for the rebuild (about a second for the 800,000-TPS election).

    SQLite needs neither: its IMMEDIATE transactions already serialise every writer.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", [tally.LOCK_CLASS, election.pk])
        cur.execute("LOCK TABLE results_tpsresult IN SHARE MODE")


def rebuild_tallies(election, source: str) -> int:
    """Replace every ``RegionTally`` row of ``election``/``source``; returns the number of rows.

    The rows are the sums of the results, which already count every pending ``TallyDelta``: the
    deltas of ``election``/``source`` are deleted in the same transaction, under the folders' lock
    (:func:`_lock_for_rebuild`), so nothing is counted twice.
    """
    with transaction.atomic():
        _lock_for_rebuild(election)
        frame = compute_tallies(election, source)
        rows = _replace(election, source, frame)
        tally.discard_pending(election, source)
    return rows


def _replace(election, source: str, frame: pl.DataFrame) -> int:
    votes_cols = [c for c in frame.columns if c.startswith("v") and c[1:].isdigit()]
    if votes_cols:  # {"1": n, ...} without zero entries, like tally.recompute_tallies
        votes = (pl.struct(**{c[1:]: pl.when(pl.col(c) != 0).then(pl.col(c)) for c in votes_cols})
                 .struct.json_encode().str.replace_all(r'"[^"]+":null,?', "").str.replace(r",}$", "}"))
    else:
        votes = pl.lit("{}")
    now = timezone.now()
    out = frame.select(pl.lit(election.pk).alias("election_id"), pl.lit(source).alias("source"), "code", "level",
                       votes.alias("votes"), "tps_total", *COUNTERS,
                       pl.lit(str(connection.ops.adapt_datetimefield_value(now))).alias("updated_at"))
    RegionTally.objects.filter(election=election, source=source).delete()
    _write(out)
    return out.height


TABULATE_SQL = """SELECT t.code, COALESCE(r.name, ''), t.level, t.votes, t.tps_total, {counters}
                   FROM results_regiontally t LEFT JOIN regions_region r ON r.code = t.code
                   WHERE t.election_id = %s AND t.source = %s AND t.level = %s{within}
                   ORDER BY t.code"""

BUCKETS = ("verified", "entered", "disputed", "received", "missing")
PARTIAL_FIELDS = tuple(tally.KNOWN)


def coverage(counts: dict) -> dict:
    """THE coverage of a region: where each of its ``tps_total`` TPS stands, counted once.

    From a tally row's counters (``tally.COUNTERS`` + ``tps_total``), exclusive buckets that add up
    to ``total`` (issue 16.3):

    - ``verified``: verified or final (source ``official``: state ``official``, from Sirekap or loaded with
      ``--verified``;
      the words differ by source, see :func:`coverage_labels`);
    - ``entered``: numbers entered, not yet verified (nor disputed);
    - ``disputed``: two entries differ, waiting for reconciliation (its first entry counts);
    - ``received``: a photo, no numbers yet;
    - ``missing``: nothing at all;
    - ``total``: the election's TPS in the region.

    ``with_numbers`` = verified + entered + disputed (the TPS whose numbers are in the totals), and
    ``partial`` names each of valid/invalid/total that is known at fewer of them (issue 16.2):
    ``{"valid": {"tps": 22512, "of": 25000}}``; a sum of that field covers ``tps`` TPS only.
    """
    total = counts["tps_total"]
    entered_any = counts["tps_entered"]
    out = {"verified": counts["tps_verified"], "entered": entered_any - counts["tps_verified"] - counts["tps_disputed"],
           "disputed": counts["tps_disputed"], "received": counts["tps_received"]}
    out["missing"] = max(total - entered_any - counts["tps_received"], 0)
    out["total"] = total
    out["with_numbers"] = entered_any
    out["partial"] = {field: {"tps": counts[known], "of": entered_any}
                      for field, known in tally.KNOWN.items() if counts[known] < entered_any}
    return out


def _counts_of(cov: dict) -> dict:
    """The counters a coverage came from (so sums of coverages go through :func:`coverage` again)."""
    return {"tps_total": cov["total"], "tps_entered": cov["with_numbers"], "tps_verified": cov["verified"],
            "tps_disputed": cov["disputed"], "tps_received": cov["received"],
            **{known: cov["partial"].get(field, {}).get("tps", cov["with_numbers"])
               for field, known in tally.KNOWN.items()}}


def coverage_labels(source: str) -> list[tuple[str, str]]:
    """The words for the coverage buckets, in order, used by the pages and ``kawaltps tabulate``.

    Official rows are KPU's published numbers, never called "terverifikasi" (issue 11): an official
    row with numbers is "diterbitkan" (state entered, the import's default) or "diterbitkan,
    diperiksa" (state ``official``: from Sirekap, or loaded with ``import-results --verified``). The JSON
    keys are the same for both sources.
    """
    from django.utils.translation import gettext as _

    if source == "official":
        first, second = _("diterbitkan, diperiksa"), _("diterbitkan")
    else:
        first, second = _("terverifikasi"), _("dientri, belum diverifikasi")
    return [("verified", first), ("entered", second), ("disputed", _("berbeda")),
            ("received", _("foto saja, belum dientri")), ("missing", _("belum ada"))]


def tabulate(election, level: Level | int, source: str, within: str = "") -> list[dict]:
    """One dict per region of ``level`` (under the code prefix ``within``), read from ``RegionTally``:
    code, name, votes {"1": n, ...}, valid, invalid, total, coverage (:func:`coverage`: buckets
    that add up to ``total``, and ``partial``), flagged.

    One SQL query joined with the region names, plain tuples (no model instances): the 83,529
    kelurahan rows of the 2019 election read in well under a second.
    """
    fold_pending(election)  # pending TallyDelta rows → RegionTally (tally.py), so the read is current
    params = [election.pk, source, int(level)]
    if within:
        params.append(within + "%")
    sql = TABULATE_SQL.format(within=" AND t.code LIKE %s" if within else "",
                              counters=", ".join(f"t.{c}" for c in COUNTERS))
    with connections[read_alias()].cursor() as cur:  # the replica on dashboard pages (core/dbrouter.py)
        cur.execute(sql, params)
        rows = cur.fetchall()
    out = []
    for code, name, lv, votes, tps_total, *counters in rows:
        if isinstance(votes, str):  # SQLite returns JSON as text
            votes = json.loads(votes)
        c = dict(zip(COUNTERS, counters, strict=True))
        out.append({"code": code, "name": name, "level": lv,
                    "votes": {k: votes[k] for k in sorted(votes, key=int)},
                    "valid": c["valid"], "invalid": c["invalid"], "total": c["total"],
                    "coverage": coverage({**c, "tps_total": tps_total}), "flagged": c["tps_flagged"]})
    return out


def empty_row(code: str, name: str, level: int, tps_total: int = 0) -> dict:
    """A region without a tally row: nothing counted, all its TPS missing."""
    return {"code": code, "name": name, "level": level, "votes": {}, "valid": 0, "invalid": 0, "total": 0,
            "coverage": coverage({"tps_total": tps_total, **dict.fromkeys(COUNTERS, 0)}), "flagged": 0}


def national(rows: list[dict]) -> dict:
    """The sum of a level's rows (the national total when the level is provinsi)."""
    votes: dict[str, int] = {}
    out = {"valid": 0, "invalid": 0, "total": 0, "flagged": 0}
    counts: dict[str, int] = {}
    for r in rows:
        for k, v in r["votes"].items():
            votes[k] = votes.get(k, 0) + v
        for k in ("valid", "invalid", "total", "flagged"):
            out[k] += r[k]
        for k, v in _counts_of(r["coverage"]).items():
            counts[k] = counts.get(k, 0) + v
    if not rows:
        counts = {"tps_total": 0, **dict.fromkeys(COUNTERS, 0)}
    return {"votes": dict(sorted(votes.items(), key=lambda kv: int(kv[0]))), **out, "coverage": coverage(counts)}
