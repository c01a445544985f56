"""Reading a stored election for the analyses: one SQL query each, straight into Polars/NumPy.

Which results count is the tabulation's rule (``results.tabulation.ENTERED_SQL``: entered,
verified, disputed or final) and a paslon's votes are read with its JSON expression
(``results.tabulation._vote_sql``), so the quick count and the forensics see exactly the numbers
the dashboard adds up.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from django.db import connection, connections
from django.utils.translation import gettext as _

from kawaltps.core.dbrouter import read_alias
from kawaltps.regions.models import Region
from kawaltps.results.tabulation import ENTERED_SQL, _vote_sql

from .units import AnalyticsError, Units, from_frame

REPORT_LEVEL = {0: 2, 2: 4, 4: 6, 6: 10, 10: 10}  # scope code length -> the report's region length


def candidate_numbers(election) -> list[int]:
    return sorted(election.candidates.values_list("number", flat=True))


def results_frame(election, source: str, within: str = "") -> pl.DataFrame:
    """code, dpt, valid, voters, v<n> per TPS with a counted result of ``source`` (inside ``within``)."""
    numbers = candidate_numbers(election)
    votes = "".join(f", {_vote_sql(n)} AS v{n}" for n in numbers)
    sql = (f"SELECT code, dpt, valid, invalid, voters, total{votes} FROM ("
           f"SELECT r.code AS code, t.dpt AS dpt, r.valid AS valid, r.invalid AS invalid, r.voters AS voters, "
           f"r.total AS total, r.votes AS votes FROM results_tpsresult r JOIN regions_tps t ON t.id = r.tps_id "
           f"WHERE r.election_id = %s AND r.source = %s AND r.code LIKE %s AND r.{ENTERED_SQL}) x")
    schema = {"code": pl.String, **{c: pl.Int64 for c in ("dpt", "valid", "invalid", "voters", "total")},
              **{f"v{n}": pl.Int64 for n in numbers}}
    with connections[read_alias()].cursor() as cur:  # replica on analysis pages (core/dbrouter.py)
        cur.execute(sql, [election.pk, source, f"{within}%"])
        return pl.DataFrame(cur.fetchall(), schema=schema, orient="row")


def election_units(election, source: str = "witness", within: str = "", region_length: int | None = None) -> Units:
    """Units of a stored election: registered = DPT, voters = the C.Hasil voters (else valid + invalid),
    winner = the paslon with the most votes in the analysed area; region = the report level's code."""
    df = results_frame(election, source, within)
    if df.height == 0:
        raise AnalyticsError(_("Pemilihan %(e)s belum punya hasil TPS (sumber %(s)s) untuk dianalisis.")
                             % {"e": election.slug, "s": source})
    vcols = [c for c in df.columns if c.startswith("v") and c[1:].isdigit()]
    df = df.with_columns([pl.col(c).fill_null(0) for c in vcols])
    totals = df.select(vcols).sum().row(0)
    lead = vcols[int(np.argmax(totals))]
    length = region_length or REPORT_LEVEL.get(len(within or (election.scope_id or "")), 2)
    df = df.with_columns(
        pl.coalesce([pl.col("valid"), pl.sum_horizontal(vcols)]).alias("valid"),
        pl.coalesce([pl.col("voters"), pl.col("total"), pl.col("valid") + pl.col("invalid")]).alias("voters"),
        pl.col("code").str.slice(0, length).alias("region"),
        pl.col("code").str.slice(0, 10).alias("kelurahan"), pl.col("code").str.slice(0, 6).alias("kecamatan"))
    name = election.candidates.filter(number=int(lead[1:])).values_list("name", flat=True).first() or lead
    return from_frame(df, registered="dpt", voters="voters", valid="valid", winner=lead, unit="code",
                      groups={"region": "region", "kelurahan": "kelurahan", "kecamatan": "kecamatan"},
                      winner_label=f"{int(lead[1:]):02d} {name}")


def region_names(codes) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=list(codes)).values_list("code", "name"))


def sample_frame(draw, source: str) -> pl.DataFrame:
    """Every sampled TPS of ``draw`` with its stratum, and its counted result of ``source`` when it
    has arrived (v<n> null otherwise) and when it last changed."""
    numbers = candidate_numbers(draw.election)
    votes = "".join(f", CASE WHEN r.id IS NULL THEN NULL ELSE COALESCE({_vote_sql(n).replace('votes', 'r.votes')}, 0)"
                    f" END AS v{n}" for n in numbers)
    epoch = ("EXTRACT(EPOCH FROM r.updated_at)" if connection.vendor == "postgresql"
             else "(julianday(r.updated_at) - 2440587.5) * 86400.0")
    sql = (f"SELECT s.code, s.stratum, {epoch} AS at{votes} FROM analytics_sampledtps s "
           f"LEFT JOIN results_tpsresult r ON r.tps_id = s.tps_id AND r.election_id = %s AND r.source = %s "
           f"AND r.{ENTERED_SQL} WHERE s.draw_id = %s")
    schema = {"code": pl.String, "stratum": pl.String, "at": pl.Float64, **{f"v{n}": pl.Int64 for n in numbers}}
    with connections[read_alias()].cursor() as cur:  # replica on analysis pages (core/dbrouter.py)
        cur.execute(sql, [draw.election_id, source, draw.pk])
        return pl.DataFrame(cur.fetchall(), schema=schema, orient="row")
