"""Coordinator pages: the board per region, uncovered TPS with the one-tap backup dispatch, and
the incident list and workflow. Who may: ``Action.VIEW_FIELD`` within their scope (board, lists),
``Action.MANAGE_DEPLOYMENT`` (dispatch), ``Action.HANDLE_INCIDENT`` + the step's role (workflow)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kawaltps.access import Action, may, require, scope_prefix, scope_q
from kawaltps.deployment.models import Assignment
from kawaltps.evidence.models import EvidenceFile
from kawaltps.regions.lookup import place_name
from kawaltps.regions.models import Region
from kawaltps.volunteers import tilemap

from . import board as boards
from . import dispatching, taxonomy, workflow
from .models import Incident
from .services import settings_for
from .views import _election


def _region(request, user) -> str:
    code = (request.GET.get("wilayah") or "").replace(".", "").strip()
    prefix = scope_prefix(user) or ""
    if not code or (prefix and not code.startswith(prefix)):
        code = prefix if len(prefix) < 13 else prefix[:10]
    require(user, Action.VIEW_FIELD, code or None)
    return code


def _escalation_due(election) -> bool:
    conf = settings_for(election)
    now = timezone.localtime()
    return now.date() > election.date or (now.date() == election.date and now.time() >= conf.escalate_at)


@login_required
def board(request):
    """TPS with 0, some or all saksi present per child region, and the uncovered TPS with backups."""
    election = _election(request)
    region = _region(request, request.user)
    show_uncovered = len(region) >= 6 or request.GET.get("tanpa") == "1"
    uncovered = boards.uncovered(election, region, request.user)[:200] if show_uncovered else None
    for u in uncovered or ():
        for b in u["backups"]:
            b["cid"] = str(uuid.uuid4())  # one tap = one dispatch, however often it is pressed
    tiles = None
    if len(region) <= 4:  # one pass over the TPS at kelurahan level: the map, and the rows summed from it
        fine = boards.board(election, region, request.user, width=10)
        data = boards.rollup(fine, boards.CHILD_WIDTH[len(region)])
        kel = boards.map_rows(fine["rows"])
        names = dict(Region.objects.filter(code__startswith=region, level__in=[2, 3]).values_list("code", "name"))
        tiles = tilemap.layout([{"code": c, "name": n} for c, n in names.items() if len(c) == 4],
                               [{"code": c, "name": n} for c, n in names.items() if len(c) == 6], kel)
    else:
        data = boards.board(election, region, request.user)
    crumbs = list(Region.objects.filter(code__in=[region[:n] for n in (2, 4, 6, 10) if len(region) >= n])
                  .order_by("code"))
    return render(request, "fieldday/board.html", {
        "election": election, "data": data, "region": region, "crumbs": crumbs,
        "uncovered": uncovered, "map": tiles, "legend": tilemap.legend() if tiles else None,
        "may_dispatch": may(request.user, Action.MANAGE_DEPLOYMENT, region or None),
        "escalation_due": _escalation_due(election), "conf": settings_for(election),
    })


@login_required
def board_json(request):
    """The same board as JSON (live refresh, scripts)."""
    election = _election(request)
    region = _region(request, request.user)
    response = JsonResponse(boards.board(election, region, request.user))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def dispatch(request):
    """One tap: the backup becomes the TPS's saksi (deployment.promote) and gets a message."""
    election = _election(request)
    assignment = get_object_or_404(Assignment, pk=request.POST.get("assignment") or 0, election=election)
    back = request.POST.get("next") or reverse("fieldday:board")
    try:
        d, created = dispatching.dispatch_backup(request.user, assignment, client_id=request.POST.get("client_id"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Cadangan dikirim ke TPS %(c)s dan diberi tahu.") % {"c": d.tps_code}
                         if created else _("Cadangan ini sudah dikirim sebelumnya."))
    return redirect(back if back.startswith("/") and not back.startswith("//") else reverse("fieldday:board"))


@login_required
def incidents(request):
    """Incident reports in the user's scope, open ones first, with state, PSU flag and deadline."""
    require(request.user, Action.VIEW_FIELD)
    election = _election(request)
    qs = Incident.objects.filter(election=election).filter(scope_q(request.user, Action.VIEW_FIELD, "tps_code"))
    state = request.GET.get("status", "")
    if state in Incident.State.values:
        qs = qs.filter(state=state)
    rows = [{"incident": i, "category": taxonomy.category(i.category_key), "days_left": workflow.days_left(i)}
            for i in qs.order_by("state", "-psu_trigger", "-occurred_at")[:300]]
    return render(request, "fieldday/incidents.html", {
        "election": election, "rows": rows, "states": Incident.State.choices, "state": state,
        "open": qs.filter(~Q(state=Incident.State.CLOSED)).count()})


@login_required
def incident(request, pk: int):
    """One incident: what, where, evidence, every step with who/when/why, and the next moves."""
    inc = get_object_or_404(Incident.objects.select_related("election", "user", "tps"), pk=pk)
    require(request.user, Action.VIEW_FIELD, inc.tps_code)
    if request.method == "POST":
        try:
            workflow.advance(request.user, inc, request.POST.get("step", ""), reason=request.POST.get("reason", ""),
                             filed_with=request.POST.get("filed_with", ""),
                             report_number=request.POST.get("report_number", ""),
                             formal_ok=request.POST.get("formal_ok") == "1",
                             material_ok=request.POST.get("material_ok") == "1",
                             track=request.POST.get("track", ""), outcome=request.POST.get("outcome", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Langkah tercatat."))
        return redirect("fieldday:incident_detail", pk=inc.pk)
    cat = taxonomy.category(inc.category_key)
    return render(request, "fieldday/incident.html", {
        "inc": inc, "category": cat, "tracks": [(t, taxonomy.TRACKS[t]) for t in (cat.tracks if cat else ())],
        "steps": inc.steps.select_related("by"), "moves": workflow.steps_for(request.user, inc),
        "filed_with": list(workflow.FILED_WITH.items()), "days_left": workflow.days_left(inc),
        "evidence": inc.evidence.all(), "place": place_name(inc.tps_code),
        "file_legal": may(request.user, Action.FILE_LEGAL, inc.tps_code)})


@login_required
def evidence_file(request, pk: int):
    """An evidence file to those who may see its TPS's field reports: the display copy of an image,
    or with ``?asli=1`` the original bytes (EXIF included)."""
    ev = get_object_or_404(EvidenceFile, pk=pk)
    if not (may(request.user, Action.VIEW_FIELD, ev.code) or may(request.user, Action.FIELD_REPORT, ev.code)):
        raise PermissionDenied(_("Anda tidak berwenang melihat bukti ini."))
    original = request.GET.get("asli") == "1" or not ev.display
    name = ev.original.name if original else ev.display.name
    response = FileResponse(default_storage.open(name, "rb"),
                            content_type=ev.content_type if original else "image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    if original:
        response["Content-Disposition"] = f'attachment; filename="{ev.sha256}.{ev.original.name.rsplit(".", 1)[-1]}"'
    return response
