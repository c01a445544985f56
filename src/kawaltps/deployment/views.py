"""Coordinator pages under /penugasan/: coverage and assignments, the hand (pin/swap/release/promote), gaps.

Every view asks ``access`` for ``MANAGE_DEPLOYMENT`` in the region or TPS it touches.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kawaltps.access import Action, may, require
from kawaltps.access.rules import scope_prefix
from kawaltps.elections.services import election_for
from kawaltps.jobs.models import Job
from kawaltps.jobs.services import enqueue
from kawaltps.people import access_log
from kawaltps.people.twofactor import safe_next
from kawaltps.regions.codes import parent_code
from kawaltps.regions.models import Region
from kawaltps.volunteers import tilemap
from kawaltps.volunteers.models import Volunteer

from . import reports, services, whatsapp
from .models import Assignment
from .rules import DeploymentError
from .tasks import run_assignment as run_job
from .tasks import verify_url


def _area(request, source=None) -> str:
    """The region prefix asked for (``wilayah``), which must lie inside the user's scope."""
    source = source if source is not None else request.GET
    asked = source.get("wilayah", "").replace(".", "").strip()
    own = scope_prefix(request.user) or ""
    code = asked if asked.isdigit() else own
    require(request.user, Action.MANAGE_DEPLOYMENT, code or None)
    return code


def _back(election, code: str) -> str:
    return f"{reverse('deployment:overview')}?pemilihan={election.slug}&wilayah={code}"


@login_required
def overview(request):
    code = _area(request)
    election = election_for(request)
    ctx = {"election": election, "code": code, "region": Region.objects.filter(code=code).first()}
    if election is not None:
        rows = reports.by_child(election, code)
        ctx.update(rows=rows, total=reports.summary(reports.tps_status(election, code)),
                   conf=services.settings_for(election))
        if len(code) == 10:
            people: dict[str, list[Assignment]] = {}
            phones = may(request.user, Action.VIEW_PERSONAL_DATA, code)
            base = request.build_absolute_uri("/").rstrip("/")
            for a in services.active(election, code).select_related("volunteer", "tps__kelurahan", "election"):
                if phones:  # a ready WhatsApp message to this saksi (their number is personal data)
                    text = whatsapp.saksi_text(a, lambda c: verify_url(c, base))
                    a.wa = f"https://wa.me/{a.volunteer.phone}?text={quote(text)}"
                people.setdefault(a.tps_code, []).append(a)
            if phones:
                access_log.record(request.user, [a.volunteer for ps in people.values() for a in ps],
                                  request.get_full_path(), fields="phone")
            ctx["tps_rows"] = [dict(r, people=people.get(r["code"], [])) for r in reports.tps_status(election, code)]
            ctx["wa_text"] = whatsapp.kelurahan_text(election, code)
    own = scope_prefix(request.user) or ""
    ctx["up"] = parent_code(code) if code and len(code) > len(own) and len(code) in (4, 6, 10) else None
    return render(request, "deployment/overview.html", ctx)


@login_required
@require_POST
def run(request):
    code = _area(request, request.POST)
    election = election_for(request, request.POST.get("pemilihan"))
    job = enqueue(run_job, user=request.user, election_id=election.pk, region=code, user_id=request.user.pk)
    job.refresh_from_db()
    if job.status == Job.Status.FAILED:
        messages.error(request, job.message)
    elif job.status != Job.Status.DONE:
        messages.info(request, _("Penugasan berjalan di latar belakang; muat ulang halaman ini sebentar lagi."))
    else:
        c, ch = job.result["coverage"], job.result["changes"]
        messages.success(request, _("Penugasan selesai: %(full)s dari %(tps)s TPS terisi, %(b)s dengan cadangan, "
                                    "%(none)s tanpa saksi. Perubahan: %(a)s baru, %(m)s pindah, %(r)s dilepas, "
                                    "%(k)s tetap.") % {"full": c["full"], "tps": c["tps"], "b": c["with_backup"],
                                                         "none": c["none"], "a": ch["assigned"], "m": ch["moved"],
                                                         "r": ch["released"], "k": ch["kept"]})
    return redirect(_back(election, code))


def _send_activation(a: Assignment, by) -> None:
    from . import accounts

    if accounts.issue_code(a.volunteer, by=by) is None:
        raise DeploymentError(_("Batas pengiriman kode tercapai (3 per jam); coba lagi nanti."))


OPS = {"sematkan": lambda a, by: services.set_pinned(a, True, by=by),
       "kirim-aktivasi": _send_activation,
       "lepas-sematan": lambda a, by: services.set_pinned(a, False, by=by),
       "lepas": lambda a, by: services.release(a, by=by, reason=_("dilepas koordinator")),
       "naikkan": lambda a, by: services.promote(a, by=by)}


@login_required
@require_POST
def act(request, pk: int, op: str):
    a = get_object_or_404(Assignment.objects.select_related("election"), pk=pk)
    require(request.user, Action.MANAGE_DEPLOYMENT, a.tps_code)
    if op not in OPS:
        return HttpResponse(_("Tindakan tidak dikenal."), status=400)
    try:
        OPS[op](a, request.user)
        messages.success(request, _("Tersimpan."))
    except DeploymentError as exc:
        messages.error(request, str(exc))
    return redirect(safe_next(request, _back(a.election, a.tps_code[:10])))  # never to another site


@login_required
@require_POST
def swap(request):
    a = get_object_or_404(Assignment.objects.select_related("election"), pk=request.POST.get("a") or 0)
    other = request.POST.get("b", "").strip()
    b = Assignment.objects.filter(pk=other).first() if other.isdigit() else None
    require(request.user, Action.MANAGE_DEPLOYMENT, a.tps_code)
    if b is None:
        messages.error(request, _("Penugasan lawan tukar tidak ditemukan."))
    else:
        try:
            services.swap(a, b, by=request.user)
            messages.success(request, _("Ditukar."))
        except DeploymentError as exc:
            messages.error(request, str(exc))
    return redirect(_back(a.election, a.tps_code[:10]))


@login_required
@require_POST
def assign(request):
    """Assign a named volunteer (by NIK) to a TPS, pinned."""
    election = election_for(request, request.POST.get("pemilihan"))
    tps_code = request.POST.get("tps", "").replace(".", "").strip()
    require(request.user, Action.MANAGE_DEPLOYMENT, tps_code or None)
    volunteer = Volunteer.objects.filter(nik=request.POST.get("nik", "").strip()).first()
    if volunteer is None:
        messages.error(request, _("Relawan dengan NIK itu tidak terdaftar."))
    else:
        try:
            services.assign_by_hand(election, volunteer, tps_code, request.POST.get("jenis", "saksi"),
                                    by=request.user)
            messages.success(request, _("%(n)s ditugaskan ke TPS %(t)s.") % {"n": volunteer.name, "t": tps_code})
        except DeploymentError as exc:
            messages.error(request, str(exc))
    return redirect(_back(election, tps_code[:10]))


@login_required
def gaps(request):
    code = _area(request)
    election = election_for(request)
    ctx = {"election": election, "code": code, "region": Region.objects.filter(code=code).first()}
    if election is not None:
        rows = reports.gap_rows(election, code)
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            body = reports.gaps_csv(rows) if fmt == "csv" else reports.gaps_xlsx(rows)
            ctype = ("text/csv; charset=utf-8" if fmt == "csv"
                     else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            resp = HttpResponse(body, content_type=ctype)
            resp["Content-Disposition"] = f'attachment; filename="celah-saksi-{election.slug}-{code or "semua"}.{fmt}"'
            return resp
        ctx.update(rows=rows[:500], count=len(rows))
        if len(code) <= 4:
            kel = reports.by_child(election, code) if len(code) == 6 else _kelurahan_rows(election, code)
            names = dict(Region.objects.filter(code__startswith=code, level__in=[2, 3]).values_list("code", "name"))
            kota = [{"code": c, "name": n} for c, n in names.items() if len(c) == 4]
            kec = [{"code": c, "name": n} for c, n in names.items() if len(c) == 6]
            ctx["map"] = tilemap.layout(kota, kec, kel)
            ctx["legend"] = tilemap.legend()
        backups = {a.tps_code: a for a in services.active(election, code).filter(kind=Assignment.Kind.BACKUP)
                   .select_related("volunteer")}
        for r in ctx["rows"]:
            r["backup_assignment"] = backups.get(r["code"])
    return render(request, "deployment/gaps.html", ctx)


def _kelurahan_rows(election, code: str) -> list[dict]:
    rows = reports.tps_status(election, code)
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["code"][:10], []).append(r)
    names = dict(Region.objects.filter(code__in=list(groups)).values_list("code", "name"))
    out = []
    for k, items in groups.items():
        s = reports.summary(items)
        out.append(dict(s, code=k, name=names.get(k, k), target=s["tps"], certified=s["full"],
                        gap=s["tps"] - s["full"], coverage=s["full"] / s["tps"], tps=s["tps"]))
    return out
