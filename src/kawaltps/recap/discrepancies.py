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
from django.db.models import F, QuerySet, TextField
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawaltps.core.frames import query_frame
from kawaltps.elections.models import Election
from kawaltps.regions.models import TPS

from . import children, coverage, engine, findings_store, impact, tps_rows
from .models import DHasil, Discrepancy, RegionSnapshot, SirekapSnapshot

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
    "coverage_incomplete": _("kecamatan dilewati karena C.Hasil saksi kami belum ada di setiap TPS-nya"),
}
VERDICT_TEXT = {
    "towards": _("koreksi: mendekati C.Hasil saksi kami"),
    "away": _("menjauhi C.Hasil saksi kami"),
    "sideways": _("berubah, sama jauhnya dari C.Hasil saksi kami"),
    "no_form": _("mencurigakan: tidak ada C.Hasil saksi kami"),
    "psu": _("hasil pemungutan suara ulang (putaran kedua yang sah)"),
}
NO_PSU = ("", "0", "false", "null", "none", "tidak")


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


def _frame_from_json(rows: list[tuple] | QuerySet, numbers: list[int], extra: dict | None = None) -> pl.DataFrame:
    """Rows of (code, votes JSON text, *extra) → votes frame; JSON decoded by Polars, not per row in Python.
    A queryset is read by :func:`core.frames.query_frame` (COPY on PostgreSQL)."""
    names = ["code", "votes", *(extra or {})]
    schema = {"code": pl.Utf8, "votes": pl.Utf8, **(extra or {})}
    if isinstance(rows, QuerySet):
        df = query_frame(rows, schema)
    else:
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


def result_frames(election: Election, sources: tuple[str, ...] = ("witness", "official")) -> dict[str, pl.DataFrame]:
    """The election's per-TPS results of ``sources`` in one read of the table: ``witness`` (votes frame
    plus ``state``), ``official`` (votes frame plus ``voters`` and ``invalid``)."""
    from kawaltps.results.models import TpsResult

    rows = (
        TpsResult.objects.filter(election=election, source__in=sources)
        .annotate(t=Cast("votes", TextField()))
        .values_list("code", "t", "source", "state", "voters", "invalid")
    )
    extra = {"source": pl.Utf8, "state": pl.Utf8, "voters": pl.Int64, "invalid": pl.Int64}
    frame = _frame_from_json(rows, numbers_of(election), extra)
    keep = {"witness": ("source", "voters", "invalid"), "official": ("source", "state")}
    return {s: frame.filter(pl.col("source") == s).drop(*keep[s]) for s in sources}


def witness_states_frame(election: Election) -> pl.DataFrame:
    """Every witness result of the election: votes frame plus its ``state``."""
    return result_frames(election, ("witness",))["witness"]


def official_frame(election: Election) -> pl.DataFrame:
    return official_admin_frame(election).drop("voters", "invalid")


def official_admin_frame(election: Election) -> pl.DataFrame:
    """Sirekap's per-TPS numbers with ``voters`` and ``invalid`` (for the D.Hasil rows' patterns)."""
    return result_frames(election, ("official",))["official"]


def dhasil_row_findings(
    election: Election, codes: pl.DataFrame, official_admin: pl.DataFrame | None = None
) -> tuple[dict[str, pl.DataFrame], int]:
    """:func:`recap.children.compare_rows` on the election's D.Hasil Kecamatan rows (none: no findings);
    ``official_admin``: :func:`official_admin_frame` when the caller has it already."""
    kec = list(
        DHasil.objects.filter(election=election, tier="kecamatan").exclude(children={}).values_list("code", "children")
    )
    if not kec:
        return {}, 0
    numbers = numbers_of(election)
    expected = codes.group_by(pl.col("code").str.slice(0, 10)).agg(pl.len().alias("n_expected"))
    admin = official_admin_frame(election) if official_admin is None else official_admin
    return children.compare_rows(children.rows_frame(kec, numbers), admin, numbers, expected)


def dhasil_admin_frame(election: Election, tier: str) -> pl.DataFrame:
    """The D.Hasil totals of one tier with ``voters`` and ``invalid``."""
    rows = list(
        DHasil.objects.filter(election=election, tier=tier)
        .annotate(t=Cast("votes", TextField()))
        .values_list("code", "t", "voters", "invalid")
    )
    return _frame_from_json(rows, numbers_of(election), {"voters": pl.Int64, "invalid": pl.Int64})


def tier_row_findings(election: Election) -> dict[str, pl.DataFrame]:
    """The kota D.Hasil rows against each kecamatan's D.Hasil, the province's against each kota's
    (:func:`recap.children.compare_tier_rows`); the two patterns of both tiers concatenated."""
    numbers, out = numbers_of(election), {}
    for tier, child_tier in (("kabkota", "kecamatan"), ("provinsi", "kabkota")):
        forms = list(
            DHasil.objects.filter(election=election, tier=tier).exclude(children={}).values_list("code", "children")
        )
        if not forms:
            continue
        found = children.compare_tier_rows(
            children.rows_frame(forms, numbers), dhasil_admin_frame(election, child_tier), numbers,
            children.ROW_STEPS[tier],
        )  # fmt: skip
        for step, frame in found.items():
            out[step] = pl.concat([out[step], frame]) if step in out else frame
    return out


def region_pages_frame(election: Election) -> pl.DataFrame:
    """The newest version (by Sirekap ``ts``, then fetch time) of each Sirekap region page with numbers."""
    rows = list(
        RegionSnapshot.objects.filter(election=election)
        .exclude(votes={})
        .exclude(code="")
        .annotate(t=Cast("votes", TextField()), seq=Coalesce("sirekap_ts", "fetched_at"))
        .order_by("code", "-seq", "-id")
        .values_list("code", "t")
    )
    return _frame_from_json(rows, numbers_of(election)).unique("code", keep="first", maintain_order=True)


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
    return query_frame(TPS.objects.filter(election=election).values_list("code"), {"code": pl.Utf8})


def expected_frames(election: Election, codes: pl.DataFrame | None = None) -> dict[str, pl.DataFrame]:
    """How many children each parent should have: TPS per kecamatan, kecamatan per kota, kota per provinsi.
    ``codes``: the register's TPS codes (unique in an election), so only the first count reads every TPS."""
    codes = tps_codes_frame(election) if codes is None else codes
    out, kids = {}, codes.select(pl.col("code").cast(pl.Utf8))
    for tier, parent in (("kecamatan", 6), ("kabkota", 4), ("provinsi", 2)):
        out[tier] = kids.group_by(pl.col("code").str.slice(0, parent)).agg(pl.len().alias("n_expected"))
        kids = out[tier].select("code")  # the parents are the next tier's children
    return out


def snapshot_frame(election: Election) -> pl.DataFrame:
    """Every Sirekap version with numbers: votes frame plus ``seq`` (Sirekap ``ts``, else fetch time),
    ``version`` (snapshot id) and ``psu`` (the page says the TPS was re-voted)."""
    rows = list(
        SirekapSnapshot.objects.filter(election=election)
        .exclude(votes={})
        .annotate(t=Cast("votes", TextField()), seq=Coalesce("sirekap_ts", "fetched_at"))
        .order_by("code", "seq", "id")
        .values_list("code", "t", "seq", "id", "psu")
    )
    # rows come ordered; the engine's sort is stable, so equal timestamps keep insertion order
    frame = _frame_from_json(
        rows, numbers_of(election), {"seq": pl.Datetime("us", "UTC"), "version": pl.Int64, "psu": pl.Utf8}
    )
    return frame.with_columns(
        (~pl.col("psu").fill_null("").str.strip_chars().str.to_lowercase().is_in(list(NO_PSU))).alias("psu")
    )


def kpu_tps_codes(election: Election) -> pl.DataFrame:
    """TPS codes KPU lists in the table of each kelurahan's newest Sirekap page (a key of 13 digits, or
    the TPS number, 3 digits, under the kelurahan)."""
    codes: list[str] = []
    seen: set[str] = set()
    qs = RegionSnapshot.objects.filter(election=election, code__regex=r"^[0-9]{10}$").order_by(
        "code", "-fetched_at", "-id"
    )
    for code, table in qs.values_list("code", "table"):  # one row a kelurahan, never a TPS
        if code in seen:
            continue
        seen.add(code)
        for key in table or {}:
            key = str(key)
            if key.isdigit() and len(key) == 13:
                codes.append(key)
            elif key.isdigit() and len(key) <= 3:
                codes.append(code + key.zfill(3))
    return pl.DataFrame({"code": codes}, schema={"code": pl.Utf8})


def official_outcome(election: Election, official: pl.DataFrame | None = None) -> dict:
    """The official totals the impact is measured against: the D.Hasil of the election's own region
    (e.g. the provinsi's for a governor) when entered, else the sum of Sirekap's TPS numbers;
    ``source`` says which (``dhasil`` / ``sirekap_tps``)."""
    numbers = numbers_of(election)
    top = None
    if election.scope_id:
        top = DHasil.objects.filter(election=election, code=election.scope.code).first()
    if top is not None and all(str(n) in top.votes for n in numbers):
        return {**impact.outcome({n: int(top.votes[str(n)]) for n in numbers}), "source": "dhasil"}
    frame = official_frame(election) if official is None else official
    return {**impact.outcome(_sums(frame, numbers)), "source": "sirekap_tps"}


def _sums(frame: pl.DataFrame, numbers: list[int]) -> dict[int, int]:
    clean = engine._clean(frame, numbers)
    return {n: int(clean[f"c{n}"].sum() or 0) for n in numbers}


def our_outcome(election: Election, witness: pl.DataFrame | None = None) -> dict:
    """Our saksi's C.Hasil (verified/final) summed, with how many TPS they cover."""
    frame = witness_frame(election) if witness is None else witness
    numbers = numbers_of(election)
    return {**impact.outcome(_sums(frame, numbers)), "tps": engine._clean(frame, numbers).height}


def compute(election: Election, *, include_entered: bool = False) -> tuple[list[dict], dict]:
    """Every finding of the election as plain records with their ``key`` (not saved), and a summary:
    ``counts`` per step, ``skipped_incomplete`` parents per step, ``not_compared`` (TPS of step 1
    not compared, by reason, with ``tps`` and ``compared``), ``official`` (the outcome impact is
    measured against) and ``missing`` (:mod:`recap.coverage` totals)."""
    numbers = numbers_of(election)
    states = (*WITNESS_STATES, "entered") if include_entered else WITNESS_STATES
    frames = tps_rows.tps_frames(election, numbers)  # one read of every TPS, both sources
    codes, witness_all, official = frames["codes"], frames["witness"], frames["official"].drop("voters", "invalid")
    witness = witness_all.filter(pl.col("state").is_in(list(states))).drop("state")
    snapshots, dhasil = snapshot_frame(election), dhasil_frames(election)
    found, summary = engine.find_all(
        numbers,
        witness=witness,
        official=official,
        dhasil=dhasil,
        expected=expected_frames(election, codes) if dhasil else {},  # only the D.Hasil steps use it
        snapshots=snapshots,
        paired=tps_rows.pairs(frames["joined"], numbers, states),
    )
    pages = region_pages_frame(election)
    if pages.height:
        found["sirekap_region"], skipped = children.compare_region_pages(pages, official, numbers, codes)
        summary["skipped_incomplete"]["sirekap_region"] = skipped
        summary["counts"]["sirekap_region"] = found["sirekap_region"].height
    rows_found, rows_skipped = dhasil_row_findings(election, codes, frames["official"])
    if rows_found:
        found.update(rows_found)
        summary["skipped_incomplete"]["dhasil_kelurahan"] = rows_skipped
        summary["counts"].update({k: v.height for k, v in rows_found.items()})
    for step, frame in tier_row_findings(election).items():
        found[step] = pl.concat([found[step], frame], how="diagonal_relaxed") if step in found else frame
        summary["counts"][step] = found[step].height
    summary["not_compared"] = engine.not_compared_counts(frames["register"], states)
    summary["include_entered"] = include_entered
    outcome = official_outcome(election, official)
    summary["official"] = outcome
    psu = snapshots.filter(pl.col("psu")).select("code").unique()
    summary["missing"] = coverage.totals(
        coverage.per_register_tps(frames["register"], kpu_tps_codes(election), psu)
    )
    psu_set = set(psu["code"].to_list())
    records = []
    for step in (*engine.STEPS, *children.STEPS):
        if step in found:
            frame = impact.add_impact(found[step], numbers, outcome)
            frame = frame.with_columns(coverage.is_lokasi_khusus(pl.col("code")).alias("lokasi_khusus"))
            for r, lk in zip(engine.as_records(frame, numbers), frame["lokasi_khusus"].to_list(), strict=True):
                if lk and len(r["code"]) == 13:
                    r["detail"]["lokasi_khusus"] = True
                if r["code"] in psu_set:
                    r["detail"]["psu"] = True
                records.append(r)
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
            reason = "coverage_incomplete" if step == "tps_kecamatan_saksi" else "children_incomplete"
            out.append({"step": step, "reason": reason, "n": n, "text": str(NOT_COMPARED_TEXT[reason])})
    return out


@transaction.atomic
def recompute(election: Election, *, include_entered: bool = False) -> tuple[list[Discrepancy], dict]:
    """Bring the election's stored findings to a fresh run: rows are matched by ``key`` (kept, with
    their id, and updated), new findings added, vanished ones deleted (:mod:`recap.findings_store`).
    Two recomputes of one election wait for each other (the election row is locked)."""
    Election.objects.select_for_update().filter(pk=election.pk).first()
    records, summary = compute(election, include_entered=include_entered)
    values = {}
    for r in records:
        row = {
            "step": r["step"],
            "code": r["code"],
            "is_tps": len(r["code"]) == 13,
            "deltas": r["deltas"],
            "ours": r["ours"],
            "official": r["official"],
            "votes_moved": r["votes_moved"],
            "gained": r["gained"],
            "impact_line": r["detail"].pop("impact_line", 0),
            "impact_margin": r["detail"].pop("impact_margin", 0),
            "detail": {**r["detail"], "include_entered": include_entered},
        }
        row["impact_rank"] = abs(row["impact_line"])
        values[r["key"]] = row
    return findings_store.write(election, values, timezone.now()), summary


ORDERS = ("dampak", "suara")


def ranked(election: Election, *, step: str | None = None, prefix: str = "", order: str = "dampak"):
    """Findings of the election, by impact on the 50 % + 1 line first (``dampak``, the default: what a
    coordinator opens first), then votes moved; or by votes moved (``suara``)."""
    qs = Discrepancy.objects.filter(election=election)
    if step:
        qs = qs.filter(step=step)
    if prefix:
        qs = qs.filter(code__startswith=prefix)
    if order == "suara":
        return qs.order_by(F("votes_moved").desc(), "step", "code")
    return qs.order_by(F("impact_rank").desc(), F("votes_moved").desc(), "step", "code")


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
        "impact_line": d.impact_line,
        "impact_margin": d.impact_margin,
        "ours": d.ours,
        "official": d.official,
    }
