"""Readiness (with the kelurahan tile map) and partner organisations pages."""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from kawaltps.access import Action, require
from kawaltps.access.rules import scope_prefix
from kawaltps.elections.services import election_for
from kawaltps.regions.codes import parent_code
from kawaltps.regions.lookup import resolve as resolve_region
from kawaltps.regions.models import Region

from . import tilemap
from .partners import partner_stats
from .readiness import CACHE_SECONDS, readiness


def _area(request) -> str:
    """The region prefix asked for (``?wilayah=``), which must lie inside the user's scope."""
    asked = resolve_region(request.GET.get("wilayah", ""))
    own = scope_prefix(request.user) or ""
    code = asked if asked.isdigit() else own
    require(request.user, Action.VIEW_READINESS, code or None)
    return code


@login_required
def readiness_page(request):
    code = _area(request)
    election = election_for(request)
    ctx = {"election": election, "code": code}
    if election is not None:
        data = readiness(election, code)
        levels = data["levels"]
        ctx.update(data=data, total=data["total"], kota=levels.get("kabkota", []),
                   kecamatan=levels.get("kecamatan", []), kelurahan=levels.get("kelurahan", []))
        if ctx["kelurahan"]:
            kota = ctx["kota"] or [{"code": c, "name": n} for c, n in Region.objects.filter(
                code__in={r["code"][:4] for r in ctx["kelurahan"]}).values_list("code", "name")]
            kecamatan = ctx["kecamatan"] or [{"code": c, "name": n} for c, n in Region.objects.filter(
                code__in={r["code"][:6] for r in ctx["kelurahan"]}).values_list("code", "name")]
            ctx["map"] = tilemap.layout(kota, kecamatan, ctx["kelurahan"])
            ctx["legend"] = tilemap.legend()
    own = scope_prefix(request.user) or ""
    ctx["up"] = parent_code(code) if code and len(code) > len(own) and len(code) in (4, 6, 10) else None
    ctx["region"] = Region.objects.filter(code=code).first() if code else None
    if election is not None:
        ctx["body"] = _body(ctx)
    return render(request, "volunteers/readiness.html", ctx)


def _body(ctx: dict) -> str:
    """The map and tables, rendered once per readiness answer (same cache key + language)."""
    key = ctx["data"].get("cache_key")
    key = f"{key}:html:{get_language()}" if key else None
    html = cache.get(key) if key else None
    if html is None:
        html = render_to_string("volunteers/_readiness_body.html", ctx)
        if key:
            cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # our own template's output, already escaped


@login_required
def partners_page(request):
    code = _area(request)
    election = election_for(request)
    stats = partner_stats(code, election)
    return render(request, "volunteers/partners.html", {
        "stats": stats, "election": election, "code": code,
        "region": Region.objects.filter(code=code).first() if code else None})
