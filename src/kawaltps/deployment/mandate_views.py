"""Mandate pages: bulk generation as a background job, downloads, one letter's PDF, the public check."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kawaltps.access import Action, may, require
from kawaltps.elections.services import election_for
from kawaltps.jobs.models import Job
from kawaltps.jobs.services import enqueue
from kawaltps.regions.models import Region

from . import mandates, pdf
from .models import Mandate
from .rules import DeploymentError
from .tasks import render_mandates, verify_url
from .views import _area


@login_required
def mandate_list(request):
    code = _area(request, request.POST if request.method == "POST" else None)
    election = election_for(request, request.POST.get("pemilihan") if request.method == "POST" else None)
    if request.method == "POST" and election is not None:
        if len(code) < 6:
            messages.error(request, _("Pilih kecamatan atau kelurahan untuk mencetak surat mandat."))
        else:
            base = request.build_absolute_uri("/").rstrip("/")
            job = enqueue(render_mandates, user=request.user, election_id=election.pk, region=code,
                          group=10, singles=False, base_url=base, user_id=request.user.pk)
            job.refresh_from_db()
            if job.status == Job.Status.FAILED:
                messages.error(request, job.message)
            else:
                messages.success(request, _("Pencetakan surat mandat dimulai."))
        return redirect(f"{reverse('deployment:mandates')}?pemilihan={election.slug}&wilayah={code}")
    jobs = [j for j in Job.objects.filter(kind="deployment.mandates").order_by("-created_at")[:50]
            if may(request.user, Action.MANAGE_DEPLOYMENT, (j.result or {}).get("region") or code or None)]
    letters = (Mandate.objects.filter(election=election, place_code__startswith=code).select_related("volunteer")
               .order_by("-issued_at")[:200]) if election else []
    return render(request, "deployment/mandates.html", {
        "election": election, "code": code, "region": Region.objects.filter(code=code).first(), "jobs": jobs,
        "letters": letters, "busy": any(j.status in (Job.Status.QUEUED, Job.Status.RUNNING) for j in jobs),
        "plenary_kinds": [(k, v) for k, v in Mandate.Kind.choices if k != Mandate.Kind.TPS]})


@login_required
def plenary(request):
    """Issue a plenary mandate (PPK, KPU kota/kabupaten, KPU provinsi) to a certified volunteer by NIK."""
    import datetime

    from kawaltps.volunteers.models import Volunteer

    if request.method != "POST":
        return HttpResponse(status=405)
    election = election_for(request, request.POST.get("pemilihan"))
    region = request.POST.get("wilayah_pleno", "").replace(".", "").strip()
    require(request.user, Action.MANAGE_DEPLOYMENT, region or None)
    volunteer = Volunteer.objects.filter(nik=request.POST.get("nik", "").strip()).first()
    try:
        day = datetime.date.fromisoformat(request.POST.get("tanggal", ""))
    except ValueError:
        day = None
    if volunteer is None:
        messages.error(request, _("Relawan dengan NIK itu tidak terdaftar."))
    elif day is None:
        messages.error(request, _("Tanggal rapat pleno tidak sah (format TTTT-BB-HH)."))
    else:
        try:
            m = mandates.issue_plenary(election, volunteer, request.POST.get("jenis", ""), region, day,
                                       by=request.user)
            messages.success(request, _("Surat mandat %(n)s terbit.") % {"n": m.number})
        except DeploymentError as exc:
            messages.error(request, str(exc))
    return redirect(f"{reverse('deployment:mandates')}?pemilihan={election.slug}&wilayah={region}")


@login_required
def job_file(request, job: str, name: str):
    j = get_object_or_404(Job, pk=job, kind="deployment.mandates")
    result = j.result or {}
    require(request.user, Action.MANAGE_DEPLOYMENT, result.get("region") or None)
    if name not in result.get("files", []):
        raise Http404(_("Berkas tidak ada."))
    path = Path(result["dir"]) / name
    if not path.exists():
        raise Http404(_("Berkas tidak ada."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")


@login_required
def mandate_pdf(request, pk: int):
    """One letter: for the coordinator of its area, or the saksi it names."""
    m = get_object_or_404(Mandate.objects.select_related("volunteer", "election"), pk=pk)
    own = m.volunteer.user_id and m.volunteer.user_id == request.user.pk
    if not own and not may(request.user, Action.MANAGE_DEPLOYMENT, m.place_code):
        raise PermissionDenied(_("Anda tidak berwenang melihat surat mandat ini."))
    if m.status != Mandate.Status.VALID:
        return HttpResponse(_("Surat mandat ini sudah %(s)s.") % {"s": m.get_status_display()}, status=410)
    base = request.build_absolute_uri("/").rstrip("/")
    body = pdf.render([m], lambda code: verify_url(code, base))
    resp = HttpResponse(body, content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="mandat-{m.place_code}.pdf"'
    return resp


@login_required
def issue(request, assignment: int):
    """Issue (or fetch) the mandate of one assignment and open it."""
    from .models import Assignment

    a = get_object_or_404(Assignment, pk=assignment)
    require(request.user, Action.MANAGE_DEPLOYMENT, a.tps_code)
    if request.method != "POST":
        return HttpResponse(status=405)
    try:
        m = mandates.issue_for_assignment(a, by=request.user)
    except DeploymentError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    return redirect("deployment:mandate_pdf", pk=m.pk)


def verify(request, code: str):
    """Public, no login: is this letter valid? Masked name and NIK only."""
    return render(request, "deployment/verify.html", {"v": mandates.verify(code), "code": code})
