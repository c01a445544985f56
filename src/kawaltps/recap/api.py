"""API at /api/recap/: the ranked discrepancies (the same rules as the pages)."""

from django.shortcuts import get_object_or_404
from ninja import Router

from kawaltps.access import Action, require, scope_q
from kawaltps.access.rules import scope_prefix
from kawaltps.elections.models import Election

from .discrepancies import ORDERS, as_dict, ranked
from .margin import report

router = Router(tags=["recap"])


@router.get("/discrepancies", summary="Selisih rekapitulasi, terbesar dulu")
def discrepancies(request, election: str, step: str = "", region: str = "", limit: int = 100, order: str = "dampak"):
    """``order``: ``dampak`` (impact on the 50 % + 1 line, the default) or ``suara`` (votes moved)."""
    require(request.user, Action.VIEW_DISCREPANCIES)
    e = get_object_or_404(Election, slug=election)
    qs = ranked(e, step=step or None, prefix=region, order=order if order in ORDERS else "dampak").filter(
        scope_q(request.user, Action.VIEW_DISCREPANCIES, "code")
    )
    return [as_dict(d) for d in qs[: max(1, min(limit, 1000))]]


@router.get("/margin", summary="Dampak temuan pada garis 50 % + 1 dan selisih dua teratas")
def margin(request, election: str, region: str = ""):
    """The margin report (as ``kawaltps margin --json``), findings limited to the user's scope."""
    from .views_outcome import scoped_prefix

    require(request.user, Action.VIEW_DISCREPANCIES)
    e = get_object_or_404(Election, slug=election)
    data = report(e, prefix=scoped_prefix(request.user, region))
    if (scope_prefix(request.user) or "") != "":
        data.pop("ours")  # our totals are election-wide: only for users who see the whole election
    return data


@router.get("/coverage", summary="TPS yang angkanya belum ada di salah satu sisi, per kecamatan")
def coverage(request, election: str, region: str = ""):
    from .views_outcome import coverage_rows, scoped_prefix

    require(request.user, Action.VIEW_DISCREPANCIES)
    e = get_object_or_404(Election, slug=election)
    rows, totals = coverage_rows(e, scoped_prefix(request.user, region))
    return {"election": e.slug, "totals": totals, "regions": rows}
