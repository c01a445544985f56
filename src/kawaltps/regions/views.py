"""Browse the hierarchy: a region's children with TPS and DPT counts, a kelurahan's TPS."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render

from kawaltps.access import Action, require
from kawaltps.access.rules import scope_prefix
from kawaltps.elections.services import election_for

from .aggregation import child_tps_stats
from .codes import Level, parent_code
from .models import TPS, Region


def _breadcrumbs(code: str) -> list[Region]:
    codes, c = [], code
    while c:
        codes.append(c)
        c = parent_code(c) if len(c) in (4, 6, 10, 13) else None
    return list(Region.objects.filter(code__in=codes).order_by("code"))


@login_required
def browse(request):
    """Start at the user's own area (or the election's scope) and go down from there."""
    prefix = scope_prefix(request.user)
    election = election_for(request)
    if prefix and len(prefix) == 13:
        return redirect("regions:tps", election=election.slug, code=prefix) if election else redirect("home")
    start = prefix or (election.scope_id if election and election.scope_id else "")
    if start:
        return redirect("regions:region", code=start)
    require(request.user, Action.VIEW_REGION)
    provinces = Region.objects.filter(level=Level.PROVINSI)
    return render(request, "regions/browse.html", {"region": None, "children": provinces, "election": election})


@login_required
def region(request, code: str):
    require(request.user, Action.VIEW_REGION, code)
    region = get_object_or_404(Region, code=code)
    election = election_for(request)
    children = list(region.children.all())
    tps_list = []
    if election:
        if region.level < Level.KELURAHAN:
            stats = child_tps_stats(election, region)
            for child in children:
                child.stats = stats.get(child.code, {"tps": 0, "dpt": 0})
        else:
            tps_list = TPS.objects.filter(election=election, kelurahan=region).order_by("number")
    totals = (TPS.objects.filter(election=election, code__startswith=code).aggregate(tps=Count("id"), dpt=Sum("dpt"))
              if election else {})
    return render(request, "regions/browse.html", {
        "region": region, "children": children, "tps_list": tps_list, "election": election,
        "totals": totals, "breadcrumbs": _breadcrumbs(code)[:-1],
    })


@login_required
def tps(request, election: str, code: str):
    require(request.user, Action.VIEW_REGION, code)
    station = get_object_or_404(TPS.objects.select_related("kelurahan", "election"), election__slug=election, code=code)
    return render(request, "regions/tps.html", {"tps": station, "election": station.election,
                                                "breadcrumbs": _breadcrumbs(code[:10])})


@login_required
def search(request):
    """``/wilayah/cari/?q=maka``: regions by name for the suggestions of every region filter (JSON)."""
    from django.http import JsonResponse

    from kawaltps.access import may

    from .lookup import suggest

    if not may(request.user, Action.VIEW_REGION):
        return JsonResponse({"error": "forbidden"}, status=403)
    within = scope_prefix(request.user) or ""
    return JsonResponse({"results": suggest(request.GET.get("q"), within=within[:10])})
