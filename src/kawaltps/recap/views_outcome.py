"""Recap pages on the outcome: the margin report (impact on the 50 % + 1 line) and what is missing per region."""

import polars as pl
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kawaltps.access import Action, may, require
from kawaltps.access.rules import scope_prefix

from . import coverage
from .discrepancies import (
    kpu_tps_codes,
    numbers_of,
    official_frame,
    snapshot_frame,
    tps_codes_frame,
    witness_states_frame,
)
from .margin import report
from .views import _election_or_404


def scoped_prefix(user, requested: str) -> str:
    """The region prefix a page shows: the one asked for, inside the user's scope (denied outside it);
    a scoped user who asks for none sees their own region."""
    requested = (requested or "").replace(".", "").strip()
    require(user, Action.VIEW_DISCREPANCIES, requested or None)
    own = scope_prefix(user) or ""
    if own and not requested.startswith(own):
        requested = own
    return requested


@login_required
def margin_page(request):
    """``/rekap/margin/``: official and our totals, the 50 % + 1 line, the findings' impact, by region."""
    require(request.user, Action.VIEW_DISCREPANCIES)
    election = _election_or_404(request)
    prefix = scoped_prefix(request.user, request.GET.get("wilayah", ""))
    data = report(election, prefix=prefix)
    nationwide = scope_prefix(request.user) == ""
    cands = dict(election.candidates.values_list("number", "name"))
    for side in ("official", "ours"):
        data[side]["rows"] = [
            {"number": int(n), "name": cands.get(int(n), ""), "votes": v} for n, v in data[side]["votes"].items()
        ]
    return render(
        request, "recap/margin.html", {"election": election, "r": data, "prefix": prefix, "show_ours": nationwide}
    )


def coverage_rows(election, prefix: str = "", length: int = 6) -> tuple[list[dict], dict]:
    """What is missing, per region of ``length`` digits under ``prefix``, and the totals there."""
    numbers = numbers_of(election)
    snaps = snapshot_frame(election)
    rows = coverage.per_tps(
        tps_codes_frame(election),
        witness_states_frame(election).drop("state"),
        official_frame(election),
        numbers,
        kpu_tps_codes(election),
        snaps.filter(pl.col("psu")).select("code").unique(),
    )
    if prefix:
        rows = rows.filter(pl.col("code").str.starts_with(prefix))
    return coverage.by_region(rows, length).to_dicts(), coverage.totals(rows)


@login_required
def coverage_page(request):
    """``/rekap/cakupan/``: per kecamatan, TPS with our C.Hasil and no Sirekap numbers, the reverse, TPS
    KPU lists that our register lacks, TPS Lokasi Khusus and re-voted TPS."""
    require(request.user, Action.VIEW_DISCREPANCIES)
    election = _election_or_404(request)
    prefix = scoped_prefix(request.user, request.GET.get("wilayah", ""))
    rows, totals = coverage_rows(election, prefix)
    return render(
        request,
        "recap/coverage.html",
        {
            "election": election,
            "rows": rows[:500],
            "totals": totals,
            "prefix": prefix,
            "more": max(0, len(rows) - 500),
            "may_kit": may(request.user, Action.EXPORT_EVIDENCE, prefix or None),
        },
    )


@login_required
def plenary_kit(request):
    """``/rekap/kit-pleno/?pemilihan=SLUG&wilayah=KEC&format=pdf|xlsx``: the PPK plenary kit of one
    kecamatan (``EXPORT_EVIDENCE`` there); a bad code is a 400 with the reason."""
    from django.http import HttpResponse, HttpResponseBadRequest

    from .plenary import PlenaryError, build

    code = (request.GET.get("wilayah") or "").replace(".", "").strip()
    require(request.user, Action.EXPORT_EVIDENCE, code or None)
    election = _election_or_404(request)
    try:
        data, pdf, xlsx = build(election, code)
    except PlenaryError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    if request.GET.get("format") == "xlsx":
        body, ctype, ext = xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    else:
        body, ctype, ext = pdf, "application/pdf", "pdf"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="bahan-pleno-{election.slug}-{data["region"].code}.{ext}"'
    return response
