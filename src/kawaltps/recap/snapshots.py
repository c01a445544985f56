"""Storing Sirekap snapshots and carrying the latest numbers into the official ``TpsResult``.

Rules:
- A snapshot is one distinct version of a page: same (election, code, SHA-256 of the raw bytes)
  = the same snapshot, seen again (only ``last_seen_at`` moves). A new version is always kept.
- A version whose candidate votes differ from the previous version that had numbers is marked
  ``changed`` ("changed after publication"); ``recap.engine`` reports the moved votes.
- The newest version by Sirekap's ``ts`` (then by fetch time) that has numbers becomes the official
  ``TpsResult`` (source ``official``) with an ``import`` Submission and an audit record, so the
  history of every official number is kept. The official RegionTally is then rebuilt with
  ``results.tabulation`` when that module offers a rebuild function (see :func:`rebuild_official_tallies`).
- A re-vote (PSU) has two legitimate results, one per round. A page marked ``psu`` with numbers (round 2)
  for a TPS that has no first-round version with numbers (no unmarked page with numbers, stored or
  earlier in the batch) is refused (status ``error``, reason in ``refused``): nothing of it is stored.
- Official rows carry the state ``official`` (:data:`OFFICIAL_STATE`, "Resmi (diterbitkan KPU)"), never
  ``verified``: that word means two of our clerks agreed.
"""

from __future__ import annotations

import datetime
import importlib
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from kawaltps.audit.services import record_changes
from kawaltps.elections.models import Election
from kawaltps.regions.models import TPS

from .models import RegionSnapshot, SirekapSnapshot
from .sirekap import ParsedRegion, ParsedTps

OFFICIAL_STATE = "official"  # KPU's published numbers, taken as published (results.models.State.OFFICIAL)
NO_PSU = ("", "0", "false", "null", "none", "tidak")  # Sirekap's ``psu`` values that mean "no re-vote"


def is_psu(value: str | None) -> bool:
    """True if Sirekap's ``psu`` field says the TPS was re-voted."""
    return (value or "").strip().lower() not in NO_PSU


def psu_refusal(code: str) -> str:
    return (f"halaman PSU (pemungutan suara ulang, putaran kedua) untuk TPS {code} ditolak: TPS ini belum "
            "punya hasil putaran pertama di Sirekap; tidak ada yang disimpan dari halaman ini")


def key_map(election: Election) -> dict[str, int]:
    """Sirekap candidate id → ballot number, from ``Candidate.sirekap_key``."""
    return {c.sirekap_key: c.number for c in election.candidates.all() if c.sirekap_key}


def _order_key(s) -> tuple:
    ts = s.sirekap_ts or s.fetched_at
    return (ts, s.fetched_at, s.id or 0)


@transaction.atomic
def store_tps(
    election: Election,
    parsed: list[ParsedTps],
    *,
    sources: list[str] | None = None,
    fetched_at: datetime.datetime | None = None,
    write_official: bool = True,
    actor: str = "import-sirekap",
    refused: dict[int, str] | None = None,
) -> list[str]:
    """Store a batch of parsed TPS pages; returns per page ``new``, ``changed``, ``unchanged`` or ``error``
    (a PSU round without a first round: nothing stored, the reason put in ``refused[index]``)."""
    refused = {} if refused is None else refused
    now = fetched_at or timezone.now()
    codes = [p.code for p in parsed]
    tps_ids = dict(TPS.objects.filter(election=election, code__in=codes).values_list("code", "id"))
    existing: dict[str, list[SirekapSnapshot]] = {}
    for s in SirekapSnapshot.objects.filter(election=election, code__in=codes).defer("raw", "raw_bytes"):
        existing.setdefault(s.code, []).append(s)
    statuses, new, seen_again, touched = [], [], [], set()
    for i, p in enumerate(parsed):
        versions = existing.setdefault(p.code, [])
        same = next((s for s in versions if s.sha256 == p.sha256), None)
        if same is not None:
            seen_again.append(same.id)
            statuses.append("unchanged")
            continue
        if p.votes and is_psu(p.psu) and not any(s.votes and not is_psu(s.psu) for s in versions):
            refused[i] = psu_refusal(p.code)
            statuses.append("error")
            continue
        snap = SirekapSnapshot(
            election=election,
            code=p.code,
            tps_id=tps_ids.get(p.code),
            fetched_at=now,
            last_seen_at=now,
            sirekap_ts=p.ts,
            source=(sources[i] if sources else "")[:500],
            raw=p.raw,
            raw_bytes=p.raw_bytes,
            sha256=p.sha256,
            votes=p.votes,
            administrasi=p.administrasi,
            valid=p.valid,
            invalid=p.invalid,
            total=p.total,
            images=p.images,
            status_suara=p.status_suara,
            status_adm=p.status_adm,
            psu=p.psu,
        )
        earlier = [s for s in versions if s.votes and _order_key(s) <= _order_key(snap)]
        prev = max(earlier, key=_order_key) if earlier else None
        snap.changed = bool(prev and snap.votes and prev.votes != snap.votes)
        versions.append(snap)
        new.append(snap)
        touched.add(p.code)
        statuses.append("changed" if snap.changed else "new")
    SirekapSnapshot.objects.bulk_create(new, batch_size=1000)
    if seen_again:
        SirekapSnapshot.objects.filter(id__in=seen_again).update(last_seen_at=now)
    if write_official and touched:
        latest = {}
        for code in touched:
            with_votes = [s for s in existing[code] if s.votes]
            if with_votes:
                latest[code] = max(with_votes, key=_order_key)
        write_official_results(election, latest.values(), actor=actor)
    return statuses


def write_official_results(election: Election, snapshots: Iterable[SirekapSnapshot], *, actor: str) -> int:
    """Make each snapshot's numbers the official ``TpsResult`` of its TPS (bulk; call in a transaction)."""
    from kawaltps.results.models import Source, Submission, TpsResult

    snaps = [s for s in snapshots if s.tps_id]
    if not snaps:
        return 0
    current = {
        r.code: r
        for r in TpsResult.objects.filter(election=election, source=Source.OFFICIAL, code__in=[s.code for s in snaps])
    }
    from kawaltps.regions.models import TPS
    from kawaltps.results.checks import run_checks

    from .sirekap import form_numbers

    tps_by_id = TPS.objects.in_bulk([s.tps_id for s in snaps])
    create, update, subs, audit = [], [], [], []
    for s in snaps:
        numbers = form_numbers(s.administrasi)
        # KPU's numbers through the same C.Hasil checks as any other source (results.checks)
        flags = [f.code for f in run_checks(election, tps_by_id.get(s.tps_id), s.votes, numbers)]
        fields = dict(
            votes=s.votes,
            numbers=numbers,
            flags=flags,
            flagged=bool(flags),
            valid=s.valid,
            invalid=s.invalid,
            total=s.total,
            voters=s.administrasi.get("pengguna_total_j"),
        )
        r = current.get(s.code)
        if r is not None and r.votes == s.votes and r.valid == s.valid and r.invalid == s.invalid:
            continue
        before = None if r is None else {"votes": r.votes, "valid": r.valid, "invalid": r.invalid}
        if r is None:
            r = TpsResult(
                election=election,
                tps_id=s.tps_id,
                code=s.code,
                source=Source.OFFICIAL,
                state=OFFICIAL_STATE,
                version=1,
                **fields,
            )
            create.append(r)
        else:
            for k, v in fields.items():
                setattr(r, k, v)
            r.version += 1
            update.append(r)
        subs.append((r, s))
        audit.append(
            dict(
                actor=actor,
                subject="results.TpsResult",
                object_id="",
                code=s.code,
                election_slug=election.slug,
                action="official_from_sirekap",
                before=before,
                after={
                    "votes": s.votes,
                    "valid": s.valid,
                    "invalid": s.invalid,
                    "sirekap_sha256": s.sha256,
                    "sirekap_ts": s.sirekap_ts.isoformat() if s.sirekap_ts else None,
                },
            )
        )
    TpsResult.objects.bulk_create(create, batch_size=1000)
    if create and create[0].pk is None:  # backends that do not return ids (none of ours, but be safe)
        ids = dict(
            TpsResult.objects.filter(
                election=election, source=Source.OFFICIAL, code__in=[r.code for r in create]
            ).values_list("code", "id")
        )
        for r in create:
            r.pk = r.id = ids[r.code]
    TpsResult.objects.bulk_update(
        update, ["votes", "numbers", "flags", "flagged", "valid", "invalid", "total", "voters", "version"],
        batch_size=1000,
    )
    Submission.objects.bulk_create(
        [
            Submission(
                result=r,
                client_id=f"sirekap:{election.pk}:{s.code}:{s.sha256[:32]}",
                kind=Submission.Kind.IMPORT,
                votes=s.votes,
                numbers={k: v for k, v in s.administrasi.items() if v is not None},
                note=f"Sirekap {s.sirekap_ts or s.fetched_at:%Y-%m-%d %H:%M} sha256 {s.sha256}",
            )
            for r, s in subs
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    for rec, (r, _s) in zip(audit, subs, strict=True):
        rec["object_id"] = str(r.pk)
    record_changes(audit)
    return len(subs)


def rebuild_official_tallies(election: Election) -> bool:
    """Rebuild the official RegionTally if ``results.tabulation`` offers it; False if it does not (yet)."""
    try:
        tabulation = importlib.import_module("kawaltps.results.tabulation")
    except ModuleNotFoundError:
        return False
    rebuild = getattr(tabulation, "rebuild_tallies", None)
    if rebuild is None:
        return False
    try:
        rebuild(election, source="official")
    except TypeError:
        rebuild(election)
    return True


@transaction.atomic
def store_region(
    election: Election, parsed: ParsedRegion, *, source: str = "", fetched_at: datetime.datetime | None = None
) -> str:
    now = fetched_at or timezone.now()
    same = RegionSnapshot.objects.filter(election=election, code=parsed.code, sha256=parsed.sha256)
    if same.exists():
        same.update(last_seen_at=now)
        return "unchanged"
    RegionSnapshot.objects.create(
        election=election,
        code=parsed.code,
        fetched_at=now,
        last_seen_at=now,
        sirekap_ts=parsed.ts,
        source=source[:500],
        raw=parsed.raw,
        sha256=parsed.sha256,
        votes=parsed.votes,
        table=parsed.table,
        progress_done=parsed.progress_done,
        progress_total=parsed.progress_total,
    )
    return "new"
