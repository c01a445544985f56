"""Pages under /analitik/: the quick count, the forensics report by region with its plots, and
whether Bimtek works. Thin: the numbers come from :mod:`.live`, :mod:`.forensics`, :mod:`.bimtek`.

Access (``kawaltps.access``): the quick count and the forensics need ``VIEW_RESULTS`` on the area
shown — the quick count is about the whole election, so only users whose scope covers the
election's area see it; the forensics report starts at the top of the user's scope and may drill
down from there. A saksi (scope: one TPS) and roles without ``VIEW_RESULTS`` are refused. The
Bimtek page needs ``VIEW_READINESS`` and counts only TPS inside the user's scope. Drawing a sample
needs ``MANAGE_ELECTIONS``.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kawaltps.access import Action, may, require, scope_prefix
from kawaltps.elections.services import election_for
from kawaltps.results.models import Source

from . import bimtek, data, live, plots, reports, sampling
from .units import AnalyticsError


def _election(request):
    election = election_for(request)
    if election is None:
        raise Http404(_("Belum ada pemilihan."))
    return election


def _source(request) -> str:
    source = request.GET.get("sumber", Source.WITNESS)
    return source if source in Source.values else Source.WITNESS


def authorise_area(user, election, code: str | None = None) -> str:
    """The region code the user may analyse: ``code`` if given (else the top of their scope or the
    election's area). PermissionDenied unless VIEW_RESULTS covers it; '' (national) only for
    nationwide users."""
    prefix = scope_prefix(user)
    if prefix is None or len(prefix) == 13:
        raise PermissionDenied(_("Anda tidak berwenang melihat analitik hasil."))
    area = (code if code is not None else (prefix or election.scope_id or "")).replace(".", "")
    if area and not re.fullmatch(r"[0-9A-Z]{2}([0-9A-Z]{2}([0-9A-Z]{2}([0-9A-Z]{4})?)?)?", area):
        raise Http404(_("Kode wilayah tidak dikenal."))
    require(user, Action.VIEW_RESULTS, area)
    return area


@login_required
def quickcount_page(request):
    election = _election(request)
    authorise_area(request.user, election, election.scope_id or "")
    source = _source(request)
    draw = sampling.current_draw(election)
    context = {"election": election, "draw": draw, "source": source, "sources": Source.choices,
               "can_draw": may(request.user, Action.MANAGE_ELECTIONS), "schemes": sampling.SCHEMES}
    if draw is not None:
        result = live.update(draw, source)
        for p in result["paslon"]:  # percentages for display; the JSON keeps fractions
            p["pct"] = {k: 100 * p[k] for k in ("estimate", "low", "high")} | {"se": 100 * p["se"]}
        if result.get("margin") and result["margin"]["difference"] is not None:
            result["margin"]["pct"] = {k: 100 * result["margin"][k] for k in ("difference", "low", "high")}
        context["result"] = result
        if result.get("timeline"):
            fig = plots.timeline_figure(result["timeline"], [p["number"] for p in result["paslon"]],
                                        result["threshold"])
            svg = plots.render(fig, "svg").decode()
            context["timeline_svg"] = mark_safe(svg[svg.index("<svg"):])  # our own Matplotlib output
    return render(request, "analytics/quickcount.html", context)


@login_required
@require_POST
def draw_sample(request):
    require(request.user, Action.MANAGE_ELECTIONS)
    election = _election(request)
    url = f"{reverse('analytics:quickcount')}?pemilihan={election.slug}"
    try:
        size = int(request.POST["sample_size"]) if request.POST.get("sample_size", "").strip() else None
        seed = int(request.POST["seed"]) if request.POST.get("seed", "").strip() else None
        margin = float(request.POST.get("margin") or sampling.DEFAULT_MARGIN)
    except ValueError:
        messages.error(request, _("Ukuran sampel, seed dan margin harus berupa angka."))
        return redirect(url)
    scheme = request.POST.get("strata") or None
    try:
        draw = sampling.create_draw(election, sample_size=size, seed=seed, scheme=scheme, margin=margin,
                                    user=request.user)
    except AnalyticsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Sampel %(n)d TPS diundi (seed %(seed)d).") % {"n": draw.sample_size,
                                                                                  "seed": draw.seed})
    return redirect(url)


@login_required
def forensics_page(request):
    election = _election(request)
    area = authorise_area(request.user, election, request.GET.get("wilayah"))
    source = _source(request)
    context = {"election": election, "area": area, "source": source, "sources": Source.choices,
               "plot_kinds": plots.KINDS,
               "area_name": data.region_names([area]).get(area, "") if area else _("Nasional")}
    try:
        report, job = reports.report_or_job(election, source, area, request.user)
    except AnalyticsError as exc:
        context["error"] = str(exc)
    else:
        context["job"] = job
        if report is not None:
            titles = {t["test"]: t["title"] for t in report["tests"]}
            context["report"] = report
            context["regions"] = [{**r, "flag_titles": [titles.get(f, f) for f in r["flags"]]}
                                  for r in report["regions"]]
    return render(request, "analytics/forensics.html", context)


@login_required
def forensics_plot(request, kind: str, fmt: str):
    if kind not in plots.KINDS or fmt not in plots.FORMATS:
        raise Http404
    election = _election(request)
    area = authorise_area(request.user, election, request.GET.get("wilayah"))
    source = _source(request)
    key = f"{reports.report_key(election, source, area)[0]}:plot:{kind}.{fmt}"
    body = cache.get(key)
    if body is None:  # drawn once per state of the results (a national area reads every TPS)
        try:
            units = data.election_units(election, source, area)
        except AnalyticsError as exc:
            raise Http404(str(exc)) from None
        body = plots.render(plots.figure(kind, units), fmt)
        cache.set(key, body, reports.CACHE_SECONDS)
    response = HttpResponse(body, content_type=plots.FORMATS[fmt])
    response["Cache-Control"] = "private, max-age=60"
    return response


@login_required
def bimtek_page(request):
    require(request.user, Action.VIEW_READINESS)
    election = _election(request)
    prefix = scope_prefix(request.user) or ""
    result = bimtek.effectiveness(election, within=prefix)
    tables = [(name, m, [(dim, title, m[dim]) for dim, title in bimtek.DIMENSIONS.items()])
              for name, m in result.items()]
    return render(request, "analytics/bimtek.html", {"election": election, "measures": tables, "area": prefix})
