"""Legal filings under /hukum/ (namespace ``legal``): the list, a Bawaslu report from selected
findings and incidents (create, edit the narrative, PDF), the MK package of a region (page, PDF).

Permission: making, editing and downloading a filing needs ``Action.FILE_LEGAL`` (legal, admin);
reading the list and a report needs ``Action.VIEW_LEGAL`` where it lies (also the area's
koordinator, who sees the reporter's data masked unless ``legal.privacy`` says otherwise).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from kawaltps.access import Action, may, require, scope_q
from kawaltps.elections.services import election_for
from kawaltps.fieldday import taxonomy
from kawaltps.fieldday.models import Incident
from kawaltps.fieldday.workflow import FILED_WITH
from kawaltps.recap.discrepancies import ranked
from kawaltps.recap.labels import label

from . import bawaslu, mk, pdf, places
from .models import BawasluReport, MkPackage
from .privacy import reporter_view


def _election(request):
    election = election_for(request, request.POST.get("pemilihan") or None)
    if election is None:
        raise Http404(_("Belum ada pemilihan."))
    return election


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def filings(request):
    """Every Bawaslu report and MK package the user may see, nearest deadline first."""
    require(request.user, Action.VIEW_LEGAL)
    election = _election(request)
    reports = (BawasluReport.objects.filter(election=election)
               .filter(scope_q(request.user, Action.VIEW_LEGAL, "code")).order_by("deadline", "-pk")[:300])
    packages = (MkPackage.objects.filter(election=election)
                .filter(scope_q(request.user, Action.VIEW_LEGAL, "region_code")).order_by("-pk")[:100])
    return render(request, "legal/list.html", {
        "election": election, "may_file": may(request.user, Action.FILE_LEGAL),
        "reports": [{"r": r, "days_left": bawaslu.days_left(r), "place": places.place(r.code) if r.code else ""}
                    for r in reports],
        "packages": packages})


@login_required
def create_report(request):
    """Pick findings and incidents, the reporter and the type; the report is made with its defaults."""
    require(request.user, Action.FILE_LEGAL)
    election = _election(request)
    if request.method == "POST":
        try:
            with translation.override("id"):
                report = bawaslu.create_report(
                    request.user, election, finding_ids=request.POST.getlist("temuan"),
                    incident_ids=request.POST.getlist("kejadian"),
                    reporter_name=request.POST.get("nama", ""), reporter_address=request.POST.get("alamat", ""),
                    reporter_phone=request.POST.get("telepon", ""), reported_party=request.POST.get("terlapor", ""),
                    violation=request.POST.get("jenis", ""), desk=request.POST.get("tujuan", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
        else:
            messages.success(request, _("Laporan Bawaslu dibuat. Periksa dan sunting uraiannya."))
            return redirect("legal:report", pk=report.pk)
    else:
        status = 200
    data = request.POST if request.method == "POST" else request.GET  # ?kejadian=ID from an incident's page
    findings = [{"d": d, "key": str(d.pk), "step": label(d.step), "place": places.place(d.code, up_to=6)}
                for d in ranked(election)[:200]]
    incidents = [{"i": i, "key": str(i.pk), "category": taxonomy.category(i.category_key),
                  "place": places.place(i.tps_code, up_to=6)}
                 for i in Incident.objects.filter(election=election).exclude(state=Incident.State.CLOSED)
                 .order_by("-occurred_at")[:200]]
    return render(request, "legal/create.html", {
        "election": election, "findings": findings, "incidents": incidents,
        "tracks": list(taxonomy.TRACKS.items()), "desks": list(FILED_WITH.items()), "form": request.POST,
        "chosen": {"temuan": set(data.getlist("temuan")), "kejadian": set(data.getlist("kejadian"))}},
        status=status)


@login_required
def report(request, pk: int):
    """One report: its sections, the countdown to the deadline; POST edits the narrative."""
    r = get_object_or_404(BawasluReport.objects.select_related("election"), pk=pk)
    require(request.user, Action.VIEW_LEGAL, r.code or None)
    if request.method == "POST":
        try:
            bawaslu.update_narrative(request.user, r, request.POST.get("uraian", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Uraian disimpan."))
        return redirect("legal:report", pk=r.pk)
    return render(request, "legal/report.html", {
        "r": r, "reporter": reporter_view(request.user, r), "days_left": bawaslu.days_left(r),
        "may_file": may(request.user, Action.FILE_LEGAL, r.code or None),
        "violation": taxonomy.TRACKS.get(r.violation, ""), "desk": FILED_WITH.get(r.desk, "")})


@login_required
def report_pdf(request, pk: int):
    r = get_object_or_404(BawasluReport.objects.select_related("election"), pk=pk)
    require(request.user, Action.FILE_LEGAL, r.code or None)
    with translation.override("id"):
        data = pdf.bawaslu_pdf(r)
    return _pdf(data, f"laporan-bawaslu-{r.pk}.pdf")


@login_required
def mk_page(request):
    """``?pemilihan=&wilayah=``: the region's latest MK package; POST makes a new one."""
    election = _election(request)
    code = (request.POST.get("wilayah") if request.method == "POST" else None) or request.GET.get("wilayah", "")
    code = code.replace(".", "").strip() or (election.scope_id or "")
    require(request.user, Action.VIEW_LEGAL, code or None)
    status = 200
    if request.method == "POST":
        require(request.user, Action.FILE_LEGAL, code or None)
        try:
            with translation.override("id"):
                pkg = mk.build_package(request.user, election, code, request.POST.get("diumumkan", ""),
                                       population=request.POST.get("penduduk", ""),
                                       length=13 if request.POST.get("rincian") == "tps" else 10)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
        else:
            messages.success(request, _("Berkas permohonan MK dibuat."))
            return redirect(f"{request.path}?pemilihan={election.slug}&wilayah={pkg.region_code}")
    pkg = MkPackage.objects.filter(election=election, region_code=code).order_by("-pk").first()
    return render(request, "legal/mk.html", {
        "election": election, "code": code, "region": places.region_label(code) if code else "", "pkg": pkg,
        "d": pkg.data if pkg else None, "may_file": may(request.user, Action.FILE_LEGAL, code or None),
        "form": request.POST}, status=status)


@login_required
def mk_pdf(request, pk: int):
    pkg = get_object_or_404(MkPackage.objects.select_related("election"), pk=pk)
    require(request.user, Action.FILE_LEGAL, pkg.region_code)
    with translation.override("id"):
        data = pdf.mk_pdf(pkg)
    return _pdf(data, f"permohonan-mk-{pkg.pk}.pdf")
