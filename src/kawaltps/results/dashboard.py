"""The live results dashboard: totals, coverage and flags of a region and each of its children.

Numbers come from ``RegionTally`` through :func:`kawaltps.results.tabulation.tabulate` (which folds
pending deltas first), so a page costs a few indexed queries whatever the election's size. A
kelurahan lists its TPS (state, failing checks, votes) linking to the TPS page (``results:tps``:
numbers, photos, history).

Access: ``access.may_see_region_numbers`` on the region (VIEW_RESULTS there, and the numbers of
every state, since a total that includes a TPS waiting for its blind second entry would leak it:
clerks get no dashboard). Each TPS row shows numbers only in the states ``access.visible_states``
allows. A user starts at the top of their scope
(``access.scope_prefix``): nationwide roles at the election's scope (or the national level), a
koordinator at their region. A saksi's scope is one TPS, not a region: region pages are refused
and the dashboard's entry page sends them to their TPS's result page.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kawaltps.access import Action, may_see_region_numbers, require, scope_prefix, visible_states
from kawaltps.core.formatting import clock, number
from kawaltps.elections.services import election_for
from kawaltps.people.models import Role
from kawaltps.regions.codes import PREFIX_LENGTH, Level, level_of
from kawaltps.regions.lookup import from_request as region_from_request
from kawaltps.regions.models import TPS, Region

from .checks import message
from .models import Source, State, TpsResult
from .tabulation import PARTIAL_FIELDS, coverage_labels, empty_row, national, tabulate

LEVEL_LABELS = {0: _lazy("Nasional"), Level.PROVINSI: _lazy("Provinsi"), Level.KABKOTA: _lazy("Kabupaten/Kota"),
                Level.KECAMATAN: _lazy("Kecamatan"), Level.KELURAHAN: _lazy("Kelurahan/Desa")}
CHILD_LABELS = {0: _lazy("Provinsi"), Level.PROVINSI: _lazy("Kabupaten/Kota"), Level.KABKOTA: _lazy("Kecamatan"),
                Level.KECAMATAN: _lazy("Kelurahan/Desa"), Level.KELURAHAN: _lazy("TPS")}


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def partial_notes(row: dict) -> dict[str, str]:
    """Per valid/invalid/total: "(dari 22.512 TPS)" when its sum covers fewer TPS than have numbers
    (``coverage.partial``, issue 16.2), else "" — shown beside the number on the page."""
    partial = row["coverage"]["partial"]
    return {f: (_("(dari %(n)s TPS)") % {"n": number(partial[f]["tps"])}
                if f in partial else "") for f in PARTIAL_FIELDS}


def decorate(row: dict, numbers: list[str]) -> dict:
    """Add ``share`` (% of the paslon votes) per paslon, ``paslon`` (votes and share in ballot
    order, every paslon present), coverage percentages for the bar and ``notes`` (partial totals)."""
    votes = row["votes"]
    paslon_sum = sum(votes.values())
    cov = row["coverage"]
    share = {k: _pct(v, paslon_sum) for k, v in votes.items()}
    return {**row, "share": share, "notes": partial_notes(row),
            "paslon": [{"n": n, "votes": votes.get(n, 0), "share": share.get(n, 0.0)} for n in numbers],
            "bar": {"verified": _pct(cov["verified"], cov["total"]),
                    "entered": _pct(cov["entered"] + cov["disputed"], cov["total"])}}


def start_code(user, election) -> str:
    """Where ``user`` starts: '' = national, else a region code. PermissionDenied if nowhere."""
    prefix = scope_prefix(user)
    if prefix is None or len(prefix) not in (0, *PREFIX_LENGTH.values()):
        raise PermissionDenied(_("Anda tidak berwenang melihat rekap hasil."))
    if prefix == "":
        require(user, Action.VIEW_RESULTS)
        return election.scope_id or ""
    require(user, Action.VIEW_RESULTS, prefix)
    return prefix


def _authorise(user, election, code: str) -> None:
    """VIEW_RESULTS on the region (the national level only for nationwide users), and the numbers of
    every state there (``access.may_see_region_numbers``)."""
    if code == "":
        if scope_prefix(user) != "":
            raise PermissionDenied(_("Anda tidak berwenang melihat rekap nasional."))
        require(user, Action.VIEW_RESULTS)
    else:
        require(user, Action.VIEW_RESULTS, code)
    if not may_see_region_numbers(user, code):
        raise PermissionDenied(_("Rekap ini memuat angka TPS yang menunggu entri kedua (entri buta): "
                                 "Anda tidak berwenang melihatnya."))


def _numbers(election) -> list[str]:
    return [str(n) for n in election.candidates.order_by("number").values_list("number", flat=True)]


def _children(election, source: str, code: str, level: int) -> list[dict]:
    """Rows of the regions one level below ``code`` ('' = provinsi); regions without a tally row
    (no result yet and never rebuilt) still appear, with their TPS count."""
    rows = tabulate(election, level + 1, source, within=code)
    have = {r["code"] for r in rows}
    if code:
        regions = Region.objects.filter(parent_id=code)
    else:
        regions = Region.objects.filter(level=Level.PROVINSI)
    missing = [(c, n) for c, n in regions.order_by("code").values_list("code", "name") if c not in have]
    if missing:
        counts = _tps_counts(election, [c for c, _ in missing])
        rows += [empty_row(c, n, level + 1, counts.get(c, 0)) for c, n in missing if counts.get(c, 0)]
        rows.sort(key=lambda r: r["code"])
    numbers = _numbers(election)
    return [decorate(r, numbers) for r in rows]


def _tps_counts(election, codes: list[str]) -> dict[str, int]:
    out = {}
    for c in codes:  # only regions without any tally row: rare, and a count per region is indexed
        out[c] = TPS.objects.filter(election=election, code__startswith=c).count()
    return out


def _tps_rows(user, election, source: str, code: str) -> list[dict]:
    """The TPS of a kelurahan with their current result of ``source``; numbers only in the states
    ``user`` may see them (``access.visible_states``)."""
    results = {r.code: r for r in TpsResult.objects.filter(election=election, source=source,
                                                           code__startswith=code)}
    rows, numbers = [], _numbers(election)
    visible = visible_states(user, code) - {State.RECEIVED}
    for tps in TPS.objects.filter(election=election, kelurahan_id=code).order_by("number"):
        r = results.get(tps.code)
        counted = r is not None and r.state in visible
        rows.append({
            "code": tps.code, "number": tps.number, "dpt": tps.dpt,
            "state": r.state if r else "", "state_label": str(r.get_state_display()) if r else _("Belum ada"),
            "flags": [{"code": f, "message": message(f)} for f in (r.flags if r else [])],
            "votes": {k: r.votes[k] for k in sorted(r.votes, key=int)} if counted else {},
            "paslon": [{"n": n, "votes": (r.votes.get(n) if counted else None)} for n in numbers],
            "valid": r.valid if counted else None, "invalid": r.invalid if counted else None,
            "url": f"{reverse('results:tps', args=[tps.code])}?pemilihan={election.slug}",
        })
    return rows


def region_data(user, election, source: str, code: str) -> dict:
    """Everything the page and the JSON show ``user`` for region ``code`` ('' = national).

    Refuses (PermissionDenied) unless ``access.may_see_region_numbers`` says yes."""
    _authorise(user, election, code)
    if code == "":
        level = 0
        rows = _children(election, source, "", 0)
        total = {"code": "", "name": _("Nasional"), "level": 0, **national(rows)}
        name = _("Nasional")
    else:
        level = int(level_of(code))
        region = get_object_or_404(Region, code=code)
        name = region.name
        own = tabulate(election, level, source, within=code)
        own = [r for r in own if r["code"] == code]
        if own:
            total = own[0]
        else:
            total = empty_row(code, name, level, TPS.objects.filter(election=election, code__startswith=code).count())
        total["name"] = name
        rows = _children(election, source, code, level) if level < Level.KELURAHAN else []
    now = timezone.now()
    data = {"election": election.slug, "source": source, "code": code, "name": name, "level": level,
            "level_label": str(LEVEL_LABELS[level]), "child_label": str(CHILD_LABELS[level]),
            "total": decorate(total, _numbers(election)), "rows": rows,
            "coverage_labels": dict(coverage_labels(source)), "updated": now.isoformat(),
            "updated_text": clock(now, seconds=True)}
    if level == Level.KELURAHAN:
        data["tps"] = _tps_rows(user, election, source, code)
    return data


def _params(request):
    election = election_for(request)
    if election is None:
        raise Http404(_("Belum ada pemilihan."))
    source = request.GET.get("sumber") or Source.WITNESS
    if source not in Source.values:
        raise Http404(_("Sumber %(s)s tidak dikenal: pilih witness atau official.") % {"s": source})
    return election, source


def _crumbs(user, election, code: str) -> list[dict]:
    """The ancestors of ``code`` the user may open (from their start), each with its name."""
    top = start_code(user, election)
    codes = [code[:n] for n in PREFIX_LENGTH.values() if n < len(code) and len(code[:n]) >= len(top)]
    if top == "" and code:
        codes = ["", *codes]
    names = dict(Region.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name"))
    return [{"code": c, "name": names.get(c, _("Nasional"))} for c in codes]


@login_required
def dashboard(request, code: str | None = None):
    """The dashboard of region ``code`` (default: the user's top region)."""
    election, source = _params(request)
    region_filter = region_from_request(request)  # the "find a region" box: a name or a code
    if region_filter["code"]:
        if level_of(region_filter["code"]) is None:
            raise Http404(_("Kode wilayah tidak sah."))
        return redirect(f"{reverse('results:dashboard_region', args=[region_filter['code']])}"
                        f"?pemilihan={election.slug}&sumber={source}")
    if code is None and request.user.role == Role.SAKSI and request.user.tps_code:
        # A saksi's scope is one TPS: the menu link leads to its result page, regions are refused.
        return redirect(f"{reverse('results:tps', args=[request.user.tps_code])}?pemilihan={election.slug}")
    if code is None:
        code = start_code(request.user, election)
    elif code == "-":  # the national level (crumb link)
        code = ""
    else:
        code = code.replace(".", "")
        if level_of(code) is None:
            raise Http404(_("Kode wilayah tidak sah."))
    data = region_data(request.user, election, source, code)
    candidates = list(election.candidates.order_by("number").values_list("number", "name"))
    return render(request, "results/dashboard.html", {
        "election": election, "source": source, "sources": Source.choices, "data": data,
        "candidates": [(str(n), name) for n, name in candidates], "crumbs": _crumbs(request.user, election, code),
        "json_url": f"{reverse('results:dashboard_json')}?pemilihan={election.slug}&sumber={source}&wilayah={code}",
        "region_filter": region_filter, "region_query": f"pemilihan={election.slug}&sumber={source}&",
    })


@login_required
def dashboard_json(request):
    """The same numbers as JSON (``?pemilihan=&sumber=&wilayah=``), for the page's 5-second refresh."""
    election, source = _params(request)
    code = request.GET.get("wilayah")
    code = start_code(request.user, election) if code is None else code.replace(".", "")
    if code and level_of(code) is None:
        raise Http404(_("Kode wilayah tidak sah."))
    response = JsonResponse(region_data(request.user, election, source, code))
    response["Cache-Control"] = "no-store"
    return response
