"""Pages for trainers and coordinators: sessions, enrolment, attendance scanning, the rotating QR, gains."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kawaltps.access import Action, may, require
from kawaltps.access.rules import scope_q
from kawaltps.core.paging import page_of
from kawaltps.core.spreadsheet import csv_response
from kawaltps.regions.lookup import from_request as region_from_request

from . import gains as gains_mod
from . import scoring, services, tokens
from .forms import EnrolForm, SessionForm, TokenForm
from .models import Enrolment, Session, TestAttempt
from .services import TrainingError

QR_REFRESH_SECONDS = 60


def _session_or_403(request, pk: int, action: Action = Action.MANAGE_TRAINING) -> Session:
    session = get_object_or_404(Session.objects.select_related("region", "trainer", "organisation"), pk=pk)
    require(request.user, action, session.region_id)
    return session


@login_required
def session_list(request):
    user = request.user
    if not (may(user, Action.MANAGE_TRAINING) or may(user, Action.RECORD_ATTENDANCE)):
        if services.volunteer_of(user):
            return redirect("training:mine")
        require(user, Action.MANAGE_TRAINING)
    qs = (services.sessions_for(user).select_related("region", "trainer", "organisation")
          .annotate(enrolled=Count("enrolments"),
                    attended=Count("enrolments", filter=Q(enrolments__attended_at__isnull=False)))
          .order_by("-date", "region__code"))
    region_filter = region_from_request(request)
    if region_filter["code"]:
        qs = qs.filter(region__code__startswith=region_filter["code"])
    page = page_of(request, qs, 50)
    return render(request, "training/session_list.html", {
        "sessions": page, "page": page, "total": page.paginator.count, "region_filter": region_filter,
        "can_create": may(user, Action.MANAGE_TRAINING)})


@login_required
def session_create(request):
    require(request.user, Action.MANAGE_TRAINING)
    form = SessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        modules = data.pop("modules")
        try:
            session = services.create_session(request.user, modules=modules, **data)
        except TrainingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Sesi Bimtek dibuat."))
            return redirect("training:session", pk=session.pk)
    return render(request, "training/session_form.html", {"form": form})


@login_required
def session_detail(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("region", "trainer", "organisation"), pk=pk)
    user = request.user
    if not (may(user, Action.MANAGE_TRAINING, session.region_id)
            or may(user, Action.RECORD_ATTENDANCE, session.region_id)):
        require(user, Action.MANAGE_TRAINING, session.region_id)
    enrolments = list(session.enrolments.select_related("volunteer__kelurahan", "certificate")
                      .order_by("volunteer__name"))
    scores = {(a.enrolment_id, a.kind): a for a in TestAttempt.objects.filter(enrolment__session=session)}
    for e in enrolments:
        e.pre = scores.get((e.pk, "pre"))
        e.post = scores.get((e.pk, "post"))
        e.cert = getattr(e, "certificate", None)
    attended = sum(1 for e in enrolments if e.attended)
    return render(request, "training/session_detail.html", {
        "session": session, "enrolments": enrolments, "attended": attended,
        "seats_left": max(session.capacity - len(enrolments), 0), "modules": session.modules.all(),
        "enrol_form": EnrolForm(), "can_manage": may(user, Action.MANAGE_TRAINING, session.region_id),
        "can_scan": may(user, Action.RECORD_ATTENDANCE, session.region_id)})


@login_required
@require_POST
def enrol(request, pk: int):
    session = _session_or_403(request, pk)
    form = EnrolForm(request.POST)
    volunteer = services.find_volunteer(request.user, form.data.get("who", "")) if form.is_valid() else None
    if volunteer is None:
        messages.error(request, _("Relawan dengan NIK atau nomor telepon itu tidak ditemukan."))
    else:
        try:
            services.enrol_by_manager(request.user, session, volunteer)
            messages.success(request, _("%(name)s terdaftar di sesi ini.") % {"name": volunteer.name})
        except TrainingError as exc:
            messages.error(request, str(exc))
    return redirect("training:session", pk=pk)


@login_required
@require_POST
def mark_present(request, pk: int, enrolment: int):
    """Manual attendance (fallback when no phone can scan), by someone who may record attendance."""
    session = _session_or_403(request, pk, Action.RECORD_ATTENDANCE)
    e = get_object_or_404(Enrolment.objects.select_related("volunteer", "session"), pk=enrolment, session=session)
    try:
        services.mark_present_by_manager(request.user, e, Enrolment.Method.MANUAL)
    except TrainingError as exc:
        messages.error(request, str(exc))
    return redirect("training:session", pk=pk)


@login_required
def scan(request, pk: int):
    """The trainer scans a volunteer's QR code (or types/pastes it)."""
    session = _session_or_403(request, pk, Action.RECORD_ATTENDANCE)
    form = TokenForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            enrolment, new = services.scan_volunteer(request.user, session, form.cleaned_data["token"])
        except TrainingError as exc:
            form.add_error("token", str(exc))
        else:
            result = {"name": enrolment.volunteer.name, "new": new}
            form = TokenForm()
    count = session.enrolments.filter(attended_at__isnull=False).count()
    return render(request, "training/scan.html", {"session": session, "form": form, "result": result,
                                                  "attended": count})


def session_qr_svg(request, session: Session) -> tuple[str, str]:
    """The session's current attendance URL and its QR code as inline SVG."""
    url = request.build_absolute_uri(reverse("training:checkin")) + "?t=" + tokens.session_token(session.pk)
    svg = segno.make(url, error="m").svg_inline(scale=6, border=2, omitsize=True)
    return url, svg


@login_required
def session_qr(request, pk: int):
    """The rotating session code, to show on a screen; the page renews itself every minute."""
    session = _session_or_403(request, pk, Action.RECORD_ATTENDANCE)
    url, svg = session_qr_svg(request, session)
    return render(request, "training/session_qr.html", {
        "session": session, "url": url, "svg": svg, "refresh": QR_REFRESH_SECONDS,
        "minutes": int(tokens.MAX_AGE.total_seconds() // 60)})


def _gains_sessions(request):
    """The sessions whose gains the user may see (their area), narrowed by the region filter."""
    require(request.user, Action.VIEW_READINESS)
    sessions = Session.objects.filter(scope_q(request.user, Action.VIEW_READINESS, "region__code"))
    region_filter = region_from_request(request)
    if region_filter["code"]:
        sessions = sessions.filter(region__code__startswith=region_filter["code"])
    return sessions, region_filter


@login_required
def gains_page(request):
    """Pre→post gain by session, trainer, ormas and module; flags where training does not work."""
    sessions, region_filter = _gains_sessions(request)
    result = gains_mod.labelled(sessions)
    flagged = sum(1 for row in result["session"] if row["flags"])
    return render(request, "training/gains.html", {
        "result": result, "region_filter": region_filter, "flagged": flagged, "sessions_n": len(result["session"]),
        "csv_query": request.GET.urlencode(),
        "low_gain": scoring.LOW_GAIN, "low_pass": int(scoring.LOW_PASS_RATE * 100),
        "min_n": scoring.MIN_GROUP_SIZE,
        "tables": [(dim, title, result[dim]) for dim, title in [
            ("organisation", _("Per ormas")), ("trainer", _("Per pelatih")), ("module", _("Per modul")),
            ("session", _("Per sesi (terburuk di atas)"))]]})


@login_required
def gains_csv(request):
    """The gains page's tables as one CSV (same area and filter), through ``core.spreadsheet``."""
    sessions, _region = _gains_sessions(request)
    return csv_response("hasil-bimtek.csv", gains_mod.csv_rows(gains_mod.labelled(sessions)))
