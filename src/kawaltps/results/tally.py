"""Keeping ``RegionTally`` current, one TPS change at a time.

A TPS result contributes to the 4 regions that contain it (code prefixes of length 2, 4, 6, 10):

- ``votes`` per paslon, ``valid``, ``invalid``, ``total``: its numbers, once entered (state is not
  ``received``); missing numbers count as 0;
- ``tps_entered`` 1 once entered (entered, verified, disputed or final);
- ``tps_verified`` 1 when verified or final; ``tps_disputed`` 1 when disputed;
- ``tps_flagged`` 1 when ``TpsResult.flagged`` (whatever the state);
- ``tps_total`` is the number of the election's TPS under the region (from ``regions.TPS``), not a
  contribution of results.

:func:`contribution` is the one definition of these rules. :func:`apply_change` adds
``after - before`` to the 4 rows inside the caller's transaction, locking them in code order
(``select_for_update``; on SQLite the IMMEDIATE transaction already serialises writers), so two
concurrent submissions can never lose each other's update. The bulk rebuild owned by tabulation
(``results.tabulation.rebuild_tallies(election, source)``) must produce identical rows;
:func:`recompute_tallies` here is the plain reference (used by the demo when tabulation's is absent,
and by the tests that compare incremental and from-scratch totals).
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import Substr

from kawaltps.regions.models import TPS

from .models import RegionTally, State, TpsResult

PREFIXES = (2, 4, 6, 10)
LEVEL_OF_PREFIX = {2: 1, 4: 2, 6: 3, 10: 4}
ENTERED = {State.ENTERED, State.VERIFIED, State.DISPUTED, State.FINAL}
VERIFIED = {State.VERIFIED, State.FINAL}
COUNTERS = ("valid", "invalid", "total", "tps_entered", "tps_verified", "tps_disputed", "tps_flagged")


def contribution(result: TpsResult | None) -> dict:
    """What one TPS result adds to each region above it (empty for None)."""
    if result is None:
        return {"votes": {}, **dict.fromkeys(COUNTERS, 0)}
    entered = result.state in ENTERED
    return {
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
    rows = []
    for code in missing:
        n = TPS.objects.filter(election_id=election_id, code__startswith=code).count()
        rows.append(
            RegionTally(
                election_id=election_id,
                source=source,
                code=code,
                level=LEVEL_OF_PREFIX[len(code)],
                tps_total=n,
            )
        )
    try:
        with transaction.atomic():  # a savepoint: a concurrent creator may win, that is fine
            RegionTally.objects.bulk_create(rows, ignore_conflicts=True)
    except IntegrityError:  # pragma: no cover - ignore_conflicts makes this unreachable on PG/SQLite
        pass


def apply_change(before: dict, result: TpsResult) -> dict:
    """Add ``contribution(result) - before`` to the TPS's 4 region rows. Call inside the transaction
    that changed ``result``; ``before`` is :func:`contribution` of the result as it was (locked).

    Returns the delta that was applied (all zero when nothing that counts changed).
    """
    delta = _delta(before, contribution(result))
    if not delta["votes"] and not any(delta[k] for k in COUNTERS):
        return delta
    codes = [result.code[:n] for n in PREFIXES]
    ensure_tallies(result.election_id, result.source, codes)
    rows = list(
        RegionTally.objects.select_for_update()
        .filter(election_id=result.election_id, source=result.source, code__in=codes)
        .order_by("code")
    )
    for row in rows:
        votes = dict(row.votes or {})
        for k, v in delta["votes"].items():
            votes[k] = votes.get(k, 0) + v
        row.votes = votes
        for k in COUNTERS:
            setattr(row, k, getattr(row, k) + delta[k])
    RegionTally.objects.bulk_update(rows, ["votes", *COUNTERS, "updated_at"])
    return delta


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
