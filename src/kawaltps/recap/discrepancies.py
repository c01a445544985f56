"""Load an election's numbers from the database into frames, run ``recap.engine``, keep the findings.

``recompute`` brings the election's ``Discrepancy`` rows to a fresh run in one transaction
(serialised per election): a finding found again keeps its row and id (matched by
:func:`finding_key`), a new one is added, one that vanished is deleted. The pages and the
``kawaltps discrepancies`` command always show one consistent run, and links to a finding stay valid
as long as the finding exists.

The summary also says which TPS step 1 did *not* compare and why (:data:`NOT_COMPARED_TEXT`), so
an empty list is never mistaken for "no votes moved".
"""

from __future__ import annotations

import polars as pl
from django.db import transaction
from django.db.models import F, TextField
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawaltps.elections.models import Election
from kawaltps.regions.models import TPS

from . import engine
from .models import DHasil, Discrepancy, SirekapSnapshot

WITNESS_STATES = ("verified", "final")
INCLUDE_ENTERED_HINT = _("jalankan dengan --include-entered untuk ikut membandingkan C.Hasil yang baru dientri")
NOT_COMPARED_TEXT = {
    "no_numbers": _("belum ada angka saksi maupun angka resmi"),
    "no_official": _("angka resmi (Sirekap) belum ada"),
    "no_witness": _("C.Hasil saksi belum ada"),
    "witness_entered": _("C.Hasil saksi baru dientri, belum terverifikasi (entri kedua)"),
    "witness_disputed": _("C.Hasil saksi berbeda antar entri, menunggu rekonsiliasi"),
    "witness_unverified": _("C.Hasil saksi diterima, angkanya belum dientri"),
    "witness_incomplete": _("C.Hasil saksi tidak memuat angka setiap paslon"),
    "children_incomplete": _("wilayah dilewati karena angka wilayah/TPS di bawahnya belum lengkap"),
}


def finding_key(record: dict) -> str:
    """The stable name of a finding: ``step:code``, plus the later Sirekap version's id for a number
    changed after publication (a TPS can change more than once). Unique per election."""
    key = f"{record['step']}:{record['code']}"
    if record["step"] == "sirekap_changed":
        detail = record.get("detail") or {}
        key += f":{detail.get('version') or detail.get('seq')}"
    return key


def numbers_of(election: Election) -> list[int]:
    return sorted(election.candidates.values_list("number", flat=True))


def _frame_from_json(rows: list[tuple], numbers: list[int], extra: dict | None = None) -> pl.DataFrame:
    """Rows of (code, votes JSON text, *extra) → votes frame; JSON decoded by Polars, not per row in Python."""
    names = ["code", "votes", *(extra or {})]
    schema = {"code": pl.Utf8, "votes": pl.Utf8, **(extra or {})}
    df = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    struct = pl.Struct({str(n): pl.Int64 for n in numbers})
    decoded = df.with_columns(pl.col("votes").str.json_decode(struct).alias("v"))
    return decoded.select(
        [
            pl.col("code"),
            *[pl.col("v").struct.field(str(n)).alias(f"c{n}") for n in numbers],
            *[pl.col(c) for c in names[2:]],
        ]
    )


def witness_frame(election: Election, states=WITNESS_STATES) -> pl.DataFrame:
    return witness_states_frame(election).filter(pl.col("state").is_in(list(states))).drop("state")


def witness_states_frame(election: Election) -> pl.DataFrame:
    """Every witness result of the election: votes frame plus its ``state``."""
    from kawaltps.results.models import TpsResult

    rows = list(
        TpsResult.objects.filter(election=election, source="witness")
        .annotate(t=Cast("votes", TextField()))
        .values_list("code", "t", "state")
    )
    return _frame_from_json(rows, numbers_of(election), {"state": pl.Utf8})


def official_frame(election: Election) -> pl.DataFrame:
    from kawaltps.results.models import TpsResult

    rows = list(
        TpsResult.objects.filter(election=election, source="official")
        .annotate(t=Cast("votes", TextField()))
        .values_list("code", "t")
    )
    return _frame_from_json(rows, numbers_of(election))


def dhasil_frames(election: Election) -> dict[str, pl.DataFrame]:
    out = {}
    for tier in ("kecamatan", "kabkota", "provinsi"):
        rows = list(
            DHasil.objects.filter(election=election, tier=tier)
            .annotate(t=Cast("votes", TextField()))
            .values_list("code", "t")
        )
        if rows:
            out[tier] = _frame_from_json(rows, numbers_of(election))
    return out


def tps_codes_frame(election: Election) -> pl.DataFrame:
    return pl.DataFrame(
        {"code": list(TPS.objects.filter(election=election).values_list("code", flat=True))}, schema={"code": pl.Utf8}
    )


def expected_frames(election: Election, codes: pl.DataFrame | None = None) -> dict[str, pl.DataFrame]:
    """How many children each parent should have: TPS per kecamatan, kecamatan per kota, kota per provinsi."""
    codes = tps_codes_frame(election) if codes is None else codes
    out = {}
    for tier, child, parent in (("kecamatan", 13, 6), ("kabkota", 6, 4), ("provinsi", 4, 2)):
        kids = codes.select(pl.col("code").str.slice(0, child)).unique()
        out[tier] = kids.group_by(pl.col("code").str.slice(0, parent)).agg(pl.len().alias("n_expected"))
    return out


def snapshot_frame(election: Election) -> pl.DataFrame:
    rows = list(
        SirekapSnapshot.objects.filter(election=election)
        .exclude(votes={})
        .annotate(t=Cast("votes", TextField()), seq=Coalesce("sirekap_ts", "fetched_at"))
        .order_by("code", "seq", "id")
        .values_list("code", "t", "seq", "id")
    )
    # rows come ordered; the engine's sort is stable, so equal timestamps keep insertion order
    return _frame_from_json(rows, numbers_of(election), {"seq": pl.Datetime("us", "UTC"), "version": pl.Int64})


def compute(election: Election, *, include_entered: bool = False) -> tuple[list[dict], dict]:
    """Every finding of the election as plain records with their ``key`` (not saved), and a summary:
    ``counts`` per step, ``skipped_incomplete`` parents per step, ``not_compared`` (TPS of step 1
    not compared, by reason, with ``tps`` and ``compared``)."""
    numbers = numbers_of(election)
    states = (*WITNESS_STATES, "entered") if include_entered else WITNESS_STATES
    codes = tps_codes_frame(election)
    witness_all, official = witness_states_frame(election), official_frame(election)
    found, summary = engine.find_all(
        numbers,
        witness=witness_all.filter(pl.col("state").is_in(list(states))).drop("state"),
        official=official,
        dhasil=dhasil_frames(election),
        expected=expected_frames(election, codes),
        snapshots=snapshot_frame(election),
    )
    summary["not_compared"] = engine.not_compared(codes, witness_all, official, numbers, states)
    summary["include_entered"] = include_entered
    records = []
    for step in engine.STEPS:
        if step in found:
            records += engine.as_records(found[step], numbers)
    for r in records:
        r["key"] = finding_key(r)
    return records, summary


def not_compared_lines(summary: dict, *, hint: bool = True) -> list[dict]:
    """The reasons TPS and regions were not compared, as ``{"step", "reason", "n", "text"}`` rows
    (non-zero only; text in the active language), with the ``--include-entered`` hint where it
    applies (``hint``: for the command line)."""
    out = []
    for reason in engine.NOT_COMPARED_REASONS:
        n = summary["not_compared"].get(reason, 0)
        if n:
            text = str(NOT_COMPARED_TEXT[reason])
            if reason == "witness_entered" and not summary.get("include_entered") and hint:
                text += f" ({INCLUDE_ENTERED_HINT})"
            out.append({"step": "tps_sirekap", "reason": reason, "n": n, "text": text})
    for step, n in summary.get("skipped_incomplete", {}).items():
        if n:
            out.append(
                {
                    "step": step,
                    "reason": "children_incomplete",
                    "n": n,
                    "text": str(NOT_COMPARED_TEXT["children_incomplete"]),
                }
            )
    return out


_FIELDS = ("step", "code", "is_tps", "deltas", "ours", "official", "votes_moved", "gained", "detail")


@transaction.atomic
def recompute(election: Election, *, include_entered: bool = False) -> tuple[list[Discrepancy], dict]:
    """Bring the election's stored findings to a fresh run: rows are matched by ``key`` (kept, with
    their id, and updated), new findings added, vanished ones deleted. Two recomputes of one election
    wait for each other (the election row is locked)."""
    Election.objects.select_for_update().filter(pk=election.pk).first()
    records, summary = compute(election, include_entered=include_entered)
    now = timezone.now()
    existing = {d.key: d for d in Discrepancy.objects.filter(election=election)}
    keep, create, changed = [], [], []
    for r in records:
        values = {
            "step": r["step"],
            "code": r["code"],
            "is_tps": len(r["code"]) == 13,
            "deltas": r["deltas"],
            "ours": r["ours"],
            "official": r["official"],
            "votes_moved": r["votes_moved"],
            "gained": r["gained"],
            "detail": {**r["detail"], "include_entered": include_entered},
        }
        d = existing.pop(r["key"], None)
        if d is None:
            create.append(Discrepancy(election=election, key=r["key"], computed_at=now, **values))
            continue
        if any(getattr(d, k) != v for k, v in values.items()):
            changed.append(d)
        for k, v in values.items():
            setattr(d, k, v)
        d.computed_at = now
        keep.append(d)
    vanished = [d.pk for d in existing.values()]
    for i in range(0, len(vanished), 2000):
        Discrepancy.objects.filter(pk__in=vanished[i : i + 2000]).delete()
    Discrepancy.objects.filter(election=election).update(computed_at=now)
    Discrepancy.objects.bulk_update(changed, list(_FIELDS), batch_size=1000)
    Discrepancy.objects.bulk_create(create, batch_size=2000)
    return keep + create, summary


def ranked(election: Election, *, step: str | None = None, prefix: str = ""):
    qs = Discrepancy.objects.filter(election=election)
    if step:
        qs = qs.filter(step=step)
    if prefix:
        qs = qs.filter(code__startswith=prefix)
    return qs.order_by(F("votes_moved").desc(), "step", "code")


def as_dict(d: Discrepancy) -> dict:
    """One discrepancy as the API and ``kawaltps discrepancies --json`` give it: its stable ``id`` and
    ``key``, and ``tps`` or ``region`` naming its code."""
    return {
        "id": d.pk,
        "key": d.key,
        ("tps" if d.is_tps else "region"): d.code,
        "step": d.step,
        "deltas": d.deltas,
        "votes_moved": d.votes_moved,
        "gained": d.gained,
        "ours": d.ours,
        "official": d.official,
    }
