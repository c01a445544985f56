"""Pages for the volunteer (a user linked to a Volunteer): my Bimtek, my QR card, check-in, tests.

A volunteer sees and does only their own things: the enrolment id in a URL is checked against the
logged-in user's volunteer record (``exams.enrolment_for``).
"""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import exams, services, tokens
from .forms import TokenForm
from .models import Enrolment, Session, TestAttempt
from .services import TrainingError

Kind = TestAttempt.Kind


def _volunteer_or_403(request):
    volunteer = services.volunteer_of(request.user)
    if volunteer is None:
        raise PermissionDenied(_("Halaman ini untuk relawan yang akunnya terhubung dengan data relawan."))
    return volunteer


@login_required
def mine(request):
    volunteer = _volunteer_or_403(request)
    enrolments = list(Enrolment.objects.filter(volunteer=volunteer).select_related("session__region")
                      .prefetch_related("attempts").order_by("-session__date"))
    for e in enrolments:
        e.tests = {a.kind: a for a in e.attempts.all()}
        e.cert = getattr(e, "certificate", None) if hasattr(e, "certificate") else None
        e.pre_closed = exams.why_closed(e, Kind.PRE)
        e.post_closed = exams.why_closed(e, Kind.POST)
    enrolled_ids = [e.session_id for e in enrolments]
    open_sessions = (services.sessions_open_to(volunteer).exclude(pk__in=enrolled_ids)
                     .select_related("region", "organisation")[:20])
    token = tokens.volunteer_token(volunteer.pk)
    svg = segno.make(token, error="m").svg_inline(scale=5, border=2, omitsize=True)
    return render(request, "training/mine.html", {
        "volunteer": volunteer, "enrolments": enrolments, "open_sessions": open_sessions,
        "token": token, "svg": svg, "minutes": int(tokens.MAX_AGE.total_seconds() // 60)})


@login_required
@require_POST
def self_enrol(request, pk: int):
    _volunteer_or_403(request)
    session = get_object_or_404(Session, pk=pk)
    try:
        services.self_enrol(request.user, session)
        messages.success(request, _("Anda terdaftar di sesi Bimtek ini."))
    except TrainingError as exc:
        messages.error(request, str(exc))
    return redirect("training:mine")


@login_required
def checkin(request):
    """The volunteer opens the session's QR link (``?t=``) or pastes the code, then confirms."""
    _volunteer_or_403(request)
    initial = {"token": request.GET.get("t", "")}
    form = TokenForm(request.POST or None, initial=initial)
    preview = error = None
    if request.method == "GET" and initial["token"]:
        try:
            preview = Session.objects.select_related("region").filter(
                pk=tokens.read_session_token(initial["token"])).first()
        except tokens.TokenError as exc:
            error = str(exc)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment, new = services.scan_session(request.user, form.cleaned_data["token"])
        except TrainingError as exc:
            form.add_error("token", str(exc))
        else:
            messages.success(request, _("Kehadiran Anda di %(s)s tercatat.") % {"s": enrolment.session}
                             if new else _("Kehadiran Anda sudah tercatat sebelumnya."))
            return redirect("training:mine")
    return render(request, "training/checkin.html", {"form": form, "preview": preview, "error": error})


@login_required
def take_test(request, enrolment: int, kind: str):
    if kind not in Kind.values:
        raise PermissionDenied(_("Jenis tes tidak dikenal."))
    e = exams.enrolment_for(request.user, enrolment)
    try:
        attempt = exams.start(e, kind)
    except TrainingError as exc:
        messages.error(request, str(exc))
        return redirect("training:mine")
    error = None
    answers = {}
    if request.method == "POST":
        answers = {k[1:]: v for k, v in request.POST.items() if k.startswith("q")}
        try:
            exams.submit(attempt, exams.parse_answers(attempt, request.POST), by=request.user)
        except TrainingError as exc:
            error = str(exc)
        else:
            return redirect("training:test_result", enrolment=e.pk, kind=kind)
    questions = exams.questions_of(attempt)
    for q in questions:
        q["chosen"] = answers.get(str(q["id"]))
    return render(request, "training/test.html", {"enrolment": e, "attempt": attempt, "questions": questions,
                                                  "error": error}, status=400 if error else 200)


@login_required
def test_result(request, enrolment: int, kind: str):
    e = exams.enrolment_for(request.user, enrolment)
    attempt = get_object_or_404(TestAttempt, enrolment=e, kind=kind, submitted_at__isnull=False)
    from .models import Module

    titles = dict(Module.objects.values_list("code", "title"))
    per_module = [(titles.get(code, code), score) for code, score in attempt.module_scores.items()]
    pre = TestAttempt.objects.filter(enrolment=e, kind=Kind.PRE, submitted_at__isnull=False).first()
    return render(request, "training/test_result.html", {
        "enrolment": e, "attempt": attempt, "per_module": per_module, "pre": pre,
        "feedback": exams.feedback(attempt),
        "gain": (attempt.score - pre.score) if (pre and kind == Kind.POST) else None,
        "cert": getattr(e, "certificate", None) if kind == Kind.POST else None})
