"""Keeping ``RegionTally`` current: one append-only delta per TPS change, folded in by region.

A TPS result contributes to the 4 regions that contain it (code prefixes of length 2, 4, 6, 10):

- ``votes`` per paslon, ``valid``, ``invalid``, ``total``: its numbers, once entered (state is not
  ``received``); missing numbers count as 0;
- ``tps_entered`` 1 once entered (entered, verified, disputed or final);
- ``tps_verified`` 1 when verified or final; ``tps_disputed`` 1 when disputed;
- ``tps_flagged`` 1 when ``TpsResult.flagged`` (whatever the state);
- ``tps_received`` 1 while the result is ``received`` (a photo, no numbers yet);
- ``tps_valid_known`` / ``tps_invalid_known`` / ``tps_total_known`` 1 once entered AND the field is
  not null: a sum of ``valid`` covers that many TPS, not ``tps_entered`` (Sirekap's 2024 pages often
  carry the paslon votes without valid/invalid). ``tabulation.coverage`` turns them into ``partial``;
- ``tps_total`` is the number of the election's TPS under the region (from ``regions.TPS``), not a
  contribution of results.

:func:`contribution` is the one definition of these rules; :data:`COUNTER_SQL` states the same
rules as SQL over ``results_tpsresult`` (the bulk rebuild), and every column list (``TallyDelta``,
``RegionTally``, the PostgreSQL fast path) is derived from :data:`COUNTERS`. Two steps keep the rows current:

1. :func:`apply_change` (inside the transaction that changed the TPS) appends ONE ``TallyDelta``
   row, ``contribution(after) - contribution(before)``. It writes no shared row, so submissions
   for different TPS never queue on a province row lock.
2. :func:`fold_pending` takes the pending deltas (``DELETE … RETURNING``, so a delta is read and
   removed in one statement), sums them per region prefix and adds the sums to the region rows,
   all in one transaction: a crash rolls back both, so nothing is counted twice or lost. Folders
   of one election are serialised (``pg_advisory_xact_lock``; SQLite's IMMEDIATE transactions
   serialise writers anyway). It runs before every read of tallies (``tabulation.tabulate``) and
   in ``kawaltps fold-tallies --loop 1`` (production: totals fresh within a second).

Invariant: ``RegionTally`` + pending deltas = the sums of the ``TpsResult`` rows. The bulk
rebuild owned by tabulation (``results.tabulation.rebuild_tallies(election, source)``) writes the
sums of the results, so pending deltas must be dropped in the same transaction
(:func:`discard_pending`) and submissions must be paused while it runs (bulk loads, repairs).
:func:`recompute_tallies` is the plain reference (used by the tests that compare incremental and
from-scratch totals).
"""

import json
from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone

from kawaltps.regions.models import TPS

from .models import RegionTally, State, TallyDelta, TpsResult

PREFIXES = (2, 4, 6, 10)
LEVEL_OF_PREFIX = {2: 1, 4: 2, 6: 3, 10: 4}
ENTERED = {State.ENTERED, State.VERIFIED, State.DISPUTED, State.FINAL, State.OFFICIAL}
VERIFIED = {State.VERIFIED, State.FINAL, State.OFFICIAL}  # official: KPU's published numbers, same bucket
COUNTERS = ("valid", "invalid", "total", "tps_entered", "tps_verified", "tps_disputed", "tps_flagged",
            "tps_received", "tps_valid_known", "tps_invalid_known", "tps_total_known")
KNOWN = {"valid": "tps_valid_known", "invalid": "tps_invalid_known", "total": "tps_total_known"}

_ENTERED_SQL = "state IN ('entered', 'verified', 'disputed', 'final', 'official')"
COUNTER_SQL = {  # the rules of contribution() as per-row SQL expressions (summed by tabulation)
    "valid": f"CASE WHEN {_ENTERED_SQL} THEN COALESCE(valid, 0) ELSE 0 END",
    "invalid": f"CASE WHEN {_ENTERED_SQL} THEN COALESCE(invalid, 0) ELSE 0 END",
    "total": f"CASE WHEN {_ENTERED_SQL} THEN COALESCE(total, 0) ELSE 0 END",
    "tps_entered": f"CASE WHEN {_ENTERED_SQL} THEN 1 ELSE 0 END",
    "tps_verified": "CASE WHEN state IN ('verified', 'final', 'official') THEN 1 ELSE 0 END",
    "tps_disputed": "CASE WHEN state = 'disputed' THEN 1 ELSE 0 END",
    "tps_flagged": "CASE WHEN flagged THEN 1 ELSE 0 END",
    "tps_received": "CASE WHEN state = 'received' THEN 1 ELSE 0 END",
    **{known: f"CASE WHEN {_ENTERED_SQL} AND {field} IS NOT NULL THEN 1 ELSE 0 END"
       for field, known in KNOWN.items()},
}
if tuple(COUNTER_SQL) != COUNTERS:  # pragma: no cover - a counter added to one and not the other
    raise ImportError("tally.COUNTER_SQL must list tally.COUNTERS in order")


def contribution(result: TpsResult | None) -> dict:
    """What one TPS result adds to each region above it (empty for None)."""
    if result is None:
        return {"votes": {}, **dict.fromkeys(COUNTERS, 0)}
    entered = result.state in ENTERED
    return {
        **{known: int(entered and getattr(result, field) is not None) for field, known in KNOWN.items()},
        "tps_received": int(result.state == State.RECEIVED),
        "votes": {str(k): int(v or 0) for k, v in (result.votes or {}).items()} if entered else {},
        "valid": (result.valid or 0) if entered else 0,
        "invalid": (result.invalid or 0) if entered else 0,
        "total": (result.total or 0) if entered else 0,
        "tps_entered": int(entered),
        "tps_verified": int(result.state in VERIFIED),
        "tps_disputed": int(result.state == State.DISPUTED),
        "tps_flagged": int(bool(result.flagged)),
    }


def _delta(before: dict, after: dict) -> dict:
    votes = {
        k: after["votes"].get(k, 0) - before["votes"].get(k, 0)
        for k in set(before["votes"]) | set(after["votes"])
    }
    out = {k: after[k] - before[k] for k in COUNTERS}
    out["votes"] = {k: v for k, v in votes.items() if v}
    return out


def ensure_tallies(election_id: int, source: str, codes: Iterable[str]) -> None:
    """Create missing tally rows for region ``codes`` (with their ``tps_total``); safe under races."""
    codes = sorted(set(codes))
    have = set(
        RegionTally.objects.filter(election_id=election_id, source=source, code__in=codes).values_list(
            "code", flat=True
        )
    )
    missing = [c for c in codes if c not in have]
    if not missing:
        return
    totals: dict[str, int] = defaultdict(int)
    for n in sorted({len(c) for c in missing}):
        for r in (
            TPS.objects.filter(election_id=election_id)
            .annotate(p=Substr("code", 1, n))
            .filter(p__in=[c for c in missing if len(c) == n])
            .values("p")
            .annotate(n=Count("id"))
            .order_by()
        ):
            totals[r["p"]] = r["n"]
    rows = [
        RegionTally(election_id=election_id, source=source, code=code, level=LEVEL_OF_PREFIX[len(code)],
                    tps_total=totals[code])
        for code in missing
    ]
    try:
        with transaction.atomic():  # a savepoint: a concurrent creator may win, that is fine
            RegionTally.objects.bulk_create(rows, ignore_conflicts=True)
    except IntegrityError:  # pragma: no cover - ignore_conflicts makes this unreachable on PG/SQLite
        pass


def apply_change(before: dict, result: TpsResult) -> dict:
    """Record ``contribution(result) - before`` as one pending ``TallyDelta`` (no region row is
    touched). Call inside the transaction that changed ``result``; ``before`` is
    :func:`contribution` of the result as it was (locked).

    Returns the delta (all zero, and nothing written, when nothing that counts changed).
    """
    delta = _delta(before, contribution(result))
    if not delta["votes"] and not any(delta[k] for k in COUNTERS):
        return delta
    TallyDelta.objects.create(election_id=result.election_id, source=result.source, code=result.code,
                              **delta)
    return delta


FOLD_BATCH = 20_000
LOCK_CLASS = 0x7A11  # pg_advisory_xact_lock(class, election id): one folder per election at a time
DELTA_COLUMNS = ("source", "code", "votes", *COUNTERS)


def _take_pending(election_id: int, limit: int) -> list[tuple]:
    """Delete up to ``limit`` pending deltas of the election and return them (one statement)."""
    cols = ", ".join(DELTA_COLUMNS)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, election_id])
        cur.execute(
            f"DELETE FROM results_tallydelta WHERE id IN (SELECT id FROM results_tallydelta "
            f"WHERE election_id = %s ORDER BY id LIMIT %s) RETURNING {cols}",
            [election_id, limit],
        )
        return cur.fetchall()


def _sum_by_region(deltas: list[tuple]) -> dict[tuple[str, str], dict]:
    """(source, region code) → summed delta, for the 4 prefixes of every delta's TPS code."""
    sums: dict[tuple[str, str], dict] = {}
    for source, code, votes, *counters in deltas:
        if isinstance(votes, str):
            votes = json.loads(votes)
        for n in PREFIXES:
            row = sums.get((source, code[:n]))
            if row is None:
                row = sums[(source, code[:n])] = {"votes": defaultdict(int), **dict.fromkeys(COUNTERS, 0)}
            for k, v in (votes or {}).items():
                row["votes"][k] += v
            for k, v in zip(COUNTERS, counters, strict=True):
                row[k] += v
    return sums


def _apply_sums(election_id: int, sums: dict[tuple[str, str], dict]) -> int:
    """Add the summed deltas to their region rows (created when missing); returns rows changed."""
    now = timezone.now()
    changed = []
    for source in sorted({s for s, _ in sums}):
        codes = sorted(c for s, c in sums if s == source)
        ensure_tallies(election_id, source, codes)
        rows = (
            RegionTally.objects.select_for_update()
            .filter(election_id=election_id, source=source, code__in=codes)
            .order_by("code")
        )
        for row in rows:
            d = sums[(source, row.code)]
            votes = dict(row.votes or {})
            for k, v in d["votes"].items():
                if v:
                    votes[k] = votes.get(k, 0) + v
            row.votes = votes
            for k in COUNTERS:
                setattr(row, k, getattr(row, k) + d[k])
            row.updated_at = now
            changed.append(row)
    RegionTally.objects.bulk_update(changed, ["votes", *COUNTERS, "updated_at"], batch_size=500)
    return len(changed)


def fold_election(election_id: int, batch: int = FOLD_BATCH) -> int:
    """Fold the pending deltas of one election into ``RegionTally``; returns the deltas folded.

    Each batch is one transaction: the deltas are deleted and their sums added together, so two
    folders running at once fold every delta exactly once, and a crash changes nothing.
    """
    folded = 0
    while True:
        with transaction.atomic():
            deltas = _take_pending(election_id, batch)
            if deltas:
                _apply_sums(election_id, _sum_by_region(deltas))
        folded += len(deltas)
        if len(deltas) < batch:
            return folded


def fold_pending(election=None) -> int:
    """Fold pending deltas (of ``election``, or of every election) into ``RegionTally``.

    Call before reading tallies; costs one indexed query when nothing is pending.
    Returns the number of deltas folded.
    """
    qs = TallyDelta.objects.all()
    if election is not None:
        election_id = getattr(election, "pk", election)
        return fold_election(election_id) if qs.filter(election_id=election_id).exists() else 0
    ids = sorted(set(qs.values_list("election_id", flat=True).distinct()))
    return sum(fold_election(e) for e in ids)


def discard_pending(election, source: str) -> int:
    """Drop the pending deltas of ``election``/``source`` — only inside the transaction of a full
    rebuild from ``TpsResult`` (which already counts them), with submissions paused."""
    return TallyDelta.objects.filter(election=election, source=source).delete()[0]


def recompute_tallies(election, source: str) -> int:
    """Rebuild every region row of ``election``/``source`` from scratch (reference implementation).

    Same rules as :func:`contribution`; returns the number of rows written. Loads one row per
    result, so it suits the demo and tests; tabulation's ``rebuild_tallies`` is the fast one.
    """
    sums: dict[str, dict] = defaultdict(lambda: {"votes": defaultdict(int), **dict.fromkeys(COUNTERS, 0)})
    for result in (
        TpsResult.objects.filter(election=election, source=source)
        .only("code", "state", "votes", "valid", "invalid", "total", "flagged")
        .iterator(chunk_size=5000)
    ):
        c = contribution(result)
        for n in PREFIXES:
            row = sums[result.code[:n]]
            for k, v in c["votes"].items():
                row["votes"][k] += v
            for k in COUNTERS:
                row[k] += c[k]
    totals: dict[str, int] = defaultdict(int)
    for n in PREFIXES:
        for r in (
            TPS.objects.filter(election=election)
            .annotate(p=Substr("code", 1, n))
            .values("p")
            .annotate(n=Count("id"))
            .order_by()
        ):
            totals[r["p"]] = r["n"]
    rows = []
    for code in sorted(set(totals) | set(sums)):
        s = sums[code] if code in sums else {"votes": {}, **dict.fromkeys(COUNTERS, 0)}
        rows.append(
            RegionTally(
                election=election,
                source=source,
                code=code,
                level=LEVEL_OF_PREFIX[len(code)],
                votes={k: v for k, v in s["votes"].items() if v},
                tps_total=totals.get(code, 0),
                **{k: s[k] for k in COUNTERS},
            )
        )
    with transaction.atomic():
        discard_pending(election, source)  # the rebuilt rows already count them
        RegionTally.objects.filter(election=election, source=source).delete()
        RegionTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def tally_rows(election, source: str) -> dict[str, dict]:
    """The stored rows as plain dicts keyed by code (zero vote entries dropped), for comparisons."""
    out = {}
    for row in RegionTally.objects.filter(election=election, source=source):
        out[row.code] = {
            "level": row.level,
            "votes": {k: v for k, v in row.votes.items() if v},
            "tps_total": row.tps_total,
            **{k: getattr(row, k) for k in COUNTERS},
        }
    return out
