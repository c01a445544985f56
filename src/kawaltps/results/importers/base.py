"""What every result file format shares: the report, the election, row checks and the batch shape.

A format module turns its file into two Polars frames (see :class:`Batch`) and a list of rejected
rows; :func:`kawaltps.results.importers.loader.load` writes them in one transaction.

Rules every format follows:
- a row that fails is reported with its line number (header = line 1) and an Indonesian reason,
  and the other rows still load;
- a source whose numbers are all empty on a row is simply absent for that row (the TPS still loads);
- every loaded row is run through :func:`kawaltps.results.checks.run_checks`; the failing rule codes
  become the result's ``flags`` (they flag, they never reject);
- ``client_id`` of the import :class:`~kawaltps.results.models.Submission` is made of the election,
  source, TPS code and a digest of the row's numbers, so loading the same row again is a no-op.
"""

import datetime
import hashlib
import io
import time
from dataclasses import dataclass, field
from types import SimpleNamespace

import polars as pl
from django.core.management.base import CommandError

from kawaltps.core.numbers import MAX_COUNT, polars_count, polars_plain_count
from kawaltps.elections.models import Candidate, Election
from kawaltps.results.checks import run_checks
from kawaltps.results.models import Source

# Columns of Batch.tps and Batch.results (vote columns are v1..vN).
TPS_COLUMNS = ["row", "code", "kel_code", "number", "dpt_l", "dpt_p"]
RESULT_COLUMNS = ["row", "code", "source", "valid", "invalid", "total", "voters"]


@dataclass
class Report:
    """What an import did: counts per source, rejected rows with reasons."""

    loaded: dict = field(default_factory=lambda: {s.value: 0 for s in Source})
    unchanged: dict = field(default_factory=lambda: {s.value: 0 for s in Source})
    flagged: dict = field(default_factory=lambda: {s.value: 0 for s in Source})
    rejected: list = field(default_factory=list)  # [{"row": n, "reason": "..."}]
    rows: int = 0
    tps_created: int = 0
    regions_created: int = 0
    election_created: bool = False
    timings: dict = field(default_factory=dict)  # stage → seconds (not in as_dict: the JSON stays stable)

    def timed(self, stage: str):
        """``with report.timed("parse"): ...`` adds the block's wall time to ``timings[stage]``."""
        return _Timed(self.timings, stage)

    def reject(self, row: int, reason: str) -> None:
        self.rejected.append({"row": int(row), "reason": reason})

    def as_dict(self) -> dict:
        rejected = sorted(self.rejected, key=lambda r: r["row"])
        return {"rows": self.rows, "loaded": self.loaded, "unchanged": self.unchanged, "flagged": self.flagged,
                "rejected_count": len(rejected), "rejected": rejected, "tps_created": self.tps_created,
                "regions_created": self.regions_created, "election_created": self.election_created}


class _Timed:
    def __init__(self, timings: dict, stage: str) -> None:
        self.timings, self.stage = timings, stage

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.timings[self.stage] = round(self.timings.get(self.stage, 0) + time.perf_counter() - self.start, 3)


@dataclass
class Batch:
    """A parsed file. ``tps``: TPS_COLUMNS; ``results``: RESULT_COLUMNS + ``v<n>`` per candidate + one
    column per form key in ``number_keys`` (+ optional ``file_flag``, a flag code the file itself sets);
    one row per TPS and source."""

    tps: pl.DataFrame
    results: pl.DataFrame
    candidates: list[int]
    number_keys: list[str] = field(default_factory=list)  # form keys (columns of results) kept in numbers


@dataclass(frozen=True)
class ElectionSpec:
    """How to create the election when ``--election`` names a new one."""

    name: str
    kind: str
    date: datetime.date
    form_type: str
    max_dpt_per_tps: int
    candidates: list[tuple[int, str]]
    scope_id: str | None = None


def ensure_election(slug: str, spec: ElectionSpec, report: Report) -> Election:
    """The election ``slug``; created with ``spec`` and its candidates if new. An existing election
    is left as it is (its candidates must cover the file's paslon numbers)."""
    election = Election.objects.filter(slug=slug).first()
    if election is None:
        election = Election.objects.create(slug=slug, name=spec.name, kind=spec.kind, date=spec.date,
                                           form_type=spec.form_type, max_dpt_per_tps=spec.max_dpt_per_tps,
                                           scope_id=spec.scope_id)
        report.election_created = True
        Candidate.objects.bulk_create([Candidate(election=election, number=n, name=name)
                                       for n, name in spec.candidates])
    return election


def parse_source(value: str | None, default: str) -> str:
    source = value or default
    if source not in Source.values:
        raise CommandError(f"sumber {source!r} tidak dikenal: pilih witness atau official")
    return source


def negative_reasons(df: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    """Rows (``row``, ``reason``) where a column is negative; ``columns`` maps column → label."""
    parts = [df.filter(pl.col(c) < 0).select("row", pl.format(f"{label} negatif ({{}})", pl.col(c)).alias("reason"))
             for c, label in columns.items() if c in df.columns]
    return pl.concat(parts) if parts else pl.DataFrame(schema={"row": pl.Int64, "reason": pl.String})


def read_csv(path, **kwargs) -> pl.DataFrame:
    """Read a CSV (or .csv.gz) with every column as text, so a bad cell is a row error, not a crash."""
    try:
        return pl.read_csv(path, infer_schema=False, **kwargs)
    except (pl.exceptions.ComputeError, OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"berkas tidak dapat dibaca sebagai CSV: {exc}") from None


def to_int(df: pl.DataFrame, columns: list[str], report: Report, labels: dict[str, str] | None = None
           ) -> pl.DataFrame:
    """Cast text columns to integers by the shared count rule (``core.numbers.polars_count``: ASCII
    digits, ``.`` thousands groups, 0..10^9); a non-empty cell that breaks it rejects its row.
    A negative cell keeps the reason "negatif" (see :func:`negative_reasons`).

    Rows whose every cell is plain (``core.numbers.polars_plain_count``: null or 1–9 digits, 99% of
    a real file) are cast directly; only the others go through the full rule and its reasons
    (the full rule over 18 columns of 813,336 rows was most of the 2019 file's parse time).
    The row order of ``df`` is kept."""
    if not columns:
        return df
    plain = pl.all_horizontal([polars_plain_count(c)[0] for c in columns])
    fast_mask = df.select(plain.alias("_plain")).to_series()
    if fast_mask.all():
        return df.with_columns(polars_plain_count(c)[1].alias(c) for c in columns)
    fast = df.filter(fast_mask).with_columns(polars_plain_count(c)[1].alias(c) for c in columns)
    slow = _to_int_full(df.filter(~fast_mask), columns, report, labels or {})
    order = "row" if "row" in df.columns else None
    out = pl.concat([fast, slow])
    return out.sort(order) if order else out


def _to_int_full(df: pl.DataFrame, columns: list[str], report: Report, labels: dict[str, str]) -> pl.DataFrame:
    casts, bads = {}, {}
    for c in columns:
        casts[c], bads[c] = polars_count(c)
    bad = pl.lit(False)
    reasons = []
    for c in columns:
        raw = pl.col(c).str.strip_chars()
        negative = raw.str.contains(r"^-[0-9]{1,18}$").fill_null(False)
        is_bad = bads[c] & ~negative
        bad = bad | is_bad
        shown = pl.when(raw.str.len_chars() > 20).then(raw.str.slice(0, 20) + pl.lit("…")).otherwise(raw)
        reasons.append(pl.when(is_bad).then(pl.format(
            f"{labels.get(c, c)} bukan bilangan bulat 0–{MAX_COUNT:_} dengan angka 0–9 ({{}})".replace("_", "."),
            shown)))
        casts[c] = pl.when(negative).then(raw.cast(pl.Int64, strict=False)).otherwise(casts[c])
    marked = df.with_columns(pl.concat_str(reasons, separator="; ", ignore_nulls=True).alias("_why"), bad.alias("_bad"))
    for row, why in marked.filter("_bad").select("row", "_why").iter_rows():
        report.reject(row, why)
    return marked.filter(~pl.col("_bad")).drop("_why", "_bad").with_columns(**casts)


def drop_rows(df: pl.DataFrame, bad: pl.DataFrame, report: Report) -> pl.DataFrame:
    """Report every (row, reason) in ``bad`` and drop those rows from ``df``."""
    if bad.height == 0:
        return df
    for row, reason in bad.iter_rows():
        report.reject(row, reason)
    return df.filter(~pl.col("row").is_in(bad["row"].implode()))


def insert_frame(table: str, frame: pl.DataFrame, not_null: tuple[str, ...] = ()) -> None:
    """Insert ``frame``'s rows into ``table`` (columns = the frame's): one ``COPY`` on PostgreSQL,
    executemany elsewhere (SQLite). Text, integers and nulls only; an empty text in a ``not_null``
    column stays "" (CSV would read it as NULL)."""
    from django.db import connection

    if frame.height == 0:
        return
    columns = ", ".join(frame.columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            buf = io.BytesIO()
            frame.write_csv(buf, include_header=False)
            force = f", FORCE_NOT_NULL ({', '.join(not_null)})" if not_null else ""
            with cur.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv{force})") as copy:
                copy.write(buf.getvalue())
        else:
            marks = ", ".join(["%s"] * frame.width)
            cur.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(frame.iter_rows()))


def _json_object(columns: dict[str, str]) -> pl.Expr:
    """A JSON object of the non-null ``columns`` ({key: column}), e.g. {"1":25,"2":211}."""
    if not columns:
        return pl.lit("{}")
    encoded = pl.struct(**{k: pl.col(c) for k, c in columns.items()}).struct.json_encode()
    return encoded.str.replace_all(r'"[^"]+":null,?', "").str.replace(r",}$", "}")


def _digest(values: list[str]) -> list[str]:
    return [hashlib.sha1(v.encode()).hexdigest()[:24] for v in values]


def _flags_per_row(election: Election, frame: pl.DataFrame, batch: "Batch") -> pl.Series:
    """Fallback: ``run_checks`` per row (used only when vector_checks does not know every rule)."""
    out = []
    tps = SimpleNamespace(dpt=0)
    for row in frame.iter_rows(named=True):
        votes = {str(n): row[f"v{n}"] for n in batch.candidates if row.get(f"v{n}") is not None}
        numbers = {k: row[k] for k in batch.number_keys if row.get(k) is not None}
        tps.dpt = row["registered_dpt"]
        out.append([f.code for f in run_checks(election, tps, votes, numbers)])
    return pl.Series("flags", out, dtype=pl.List(pl.String))


def finish_rows(election: Election, batch: "Batch", progress=None) -> pl.DataFrame:
    """The staging frame (loader.RES_COLS): checks run, JSON and client ids made, all column-wise."""
    from .vector_checks import flag_codes

    votes = [f"v{n}" for n in batch.candidates]
    keys = [k for k in batch.number_keys if k in batch.results.columns]
    frame = batch.results.join(batch.tps.select("code", (pl.col("dpt_l") + pl.col("dpt_p")).alias("registered_dpt")),
                               on="code", how="left")
    flags = flag_codes(frame, keys, votes, election.max_dpt_per_tps)
    if flags is None:
        flags = _flags_per_row(election, frame, batch)
    frame = frame.with_columns(flags.alias("flags"))
    if "file_flag" in frame.columns:
        frame = frame.with_columns(pl.concat_list("flags", pl.col("file_flag")).list.drop_nulls().alias("flags"))
    frame = frame.with_columns(
        _json_object({str(n): f"v{n}" for n in batch.candidates}).alias("votes"),
        _json_object({k: k for k in keys}).alias("numbers"),
        pl.format("[{}]", pl.col("flags").list.eval(pl.format('"{}"', pl.element())).list.join(","))
        .alias("flags_json"),
        (pl.col("flags").list.len() > 0).alias("flagged"))
    body = frame.select(pl.concat_str([pl.lit(election.slug), "source", "code", "votes", "numbers"], separator="|"))
    # imp-<election>-<w|o>-<code>-<digest of the numbers>: sorts with the TPS code, so inserting a file
    # in code order appends to the unique index instead of scattering over it.
    frame = frame.with_columns(pl.concat_str([
        pl.lit(f"imp-{election.pk}-"), pl.col("source").str.slice(0, 1), pl.lit("-"), "code", pl.lit("-"),
        pl.Series("digest", _digest(body.to_series().to_list()))]).alias("client_id"))
    if progress is not None:
        progress(frame.height)
    return frame.select("code", "source", "client_id", "votes", "numbers", pl.col("flags_json").alias("flags"),
                        "flagged", "valid", "invalid", "total", "voters")


def coded_tps(df: pl.DataFrame, code_col: str, report: Report) -> pl.DataFrame:
    """Check the 13-digit TPS codes of a file with real Kemendagri codes (dots allowed): well formed,
    once per file, in a kelurahan we know. Adds ``code``, ``kel_code``, ``number``; drops bad rows."""
    from kawaltps.regions.models import Region

    df = df.with_columns(pl.col(code_col).str.strip_chars().str.replace_all(".", "", literal=True).alias("code"))
    bad = df.filter(~pl.col("code").fill_null("").str.contains(r"^[0-9]{13}$")).select(
        "row", pl.format("kode TPS tidak sah ({}): harus 13 angka", pl.col(code_col).fill_null("")).alias("reason"))
    df = drop_rows(df, bad, report)
    marked = df.with_columns(pl.col("row").min().over("code").alias("_first"))
    df = drop_rows(df, marked.filter(pl.col("row") != pl.col("_first")).select(
        "row", pl.format("TPS {} sudah ada di baris {}", "code", "_first").alias("reason")), report)
    df = df.with_columns(pl.col("code").str.slice(0, 10).alias("kel_code"),
                         pl.col("code").str.slice(10, 3).cast(pl.Int64).alias("number"))
    known = set(Region.objects.filter(level=4, code__in=df["kel_code"].unique().to_list())
                .values_list("code", flat=True))
    df = drop_rows(df, df.filter(~pl.col("kel_code").is_in(list(known))).select(
        "row", pl.format("kelurahan {} tidak dikenal; muat wilayahnya dulu (kawaltps import-regions)",
                         "kel_code").alias("reason")), report)
    return drop_rows(df, df.filter(pl.col("number") < 1).select(
        "row", pl.lit("nomor TPS 000 tidak sah").alias("reason")), report)
