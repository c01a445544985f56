"""The saksi's election-day page (/hari-h/tps/<code>/) and the four POSTs it sends.

Each POST is one call of ``services`` and answers the offline queue (``results/offline-queue.js``,
``Accept: application/json``) with the same protocol as the C.Hasil form: ``{"ack": client_id,
"status", "message"}`` once that exact client id is stored; ``ack`` null with ``status`` login (401),
forbidden (403) or invalid (400, ``errors``) otherwise, so the queue keeps the item. Without
JavaScript a POST redirects back to the page with a message.
"""

import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kawaltps.access import Action, require
from kawaltps.elections.services import election_for
from kawaltps.people.models import Role
from kawaltps.regions.models import TPS
from kawaltps.results.views import _answer, _wants_json  # the one ack protocol of the offline queue

from . import checklist, services, taxonomy
from .models import CheckIn, ChecklistAnswer, Incident, Turnout


def _election(request):
    election = election_for(request)
    if election is None:
        raise Http404(_("Belum ada pemilihan."))
    return election


def _tps(election, code: str) -> TPS:
    return get_object_or_404(TPS.objects.select_related("election", "kelurahan"), election=election, code=code)


def _page_url(election, code: str) -> str:
    return f"{reverse('fieldday:page', args=[code])}?pemilihan={election.slug}"


def saksi_home(request):
    """A saksi goes straight to their TPS's page; others to the board."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.role == Role.SAKSI and request.user.tps_code:
        return redirect(_page_url(_election(request), request.user.tps_code))
    return redirect("fieldday:board")


def service_worker(request):
    """The service worker, served from /hari-h/ with ``Service-Worker-Allowed: /`` so it may cache
    the saksi pages under /hari-h/ and /hasil/kirim/ (see static fieldday/sw.js)."""
    body = (Path(__file__).parent / "static" / "fieldday" / "sw.js").read_text()
    response = HttpResponse(body, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def _latest(model, tps, **extra):
    return model.objects.filter(election=tps.election, tps=tps, **extra).order_by("-at", "-id")


@never_cache
def saksi_page(request, code: str):
    """Check-in, turnout, checklist and incident forms for one TPS, with what is already recorded."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(request.user, Action.FIELD_REPORT, code)
    election = _election(request)
    tps = _tps(election, code)
    answers = {}
    for a in ChecklistAnswer.objects.filter(election=election, tps=tps).order_by("at", "id"):
        answers[a.item_key] = a
    items = [{"item": i, "answer": answers.get(i.key), "cid": str(uuid.uuid4())} for i in checklist.items_for(election)]
    return render(request, "fieldday/saksi.html", {
        "election": election, "tps": tps, "checkins": _latest(CheckIn, tps)[:5],
        "turnout": _latest(Turnout, tps)[:5], "items": items, "slots": checklist.TURNOUT_TIMES,
        "categories": taxonomy.CATEGORIES,
        "incidents": Incident.objects.filter(election=election, tps=tps).order_by("-occurred_at")[:10],
        "ids": {k: str(uuid.uuid4()) for k in ("checkin", "turnout", "incident")},
        "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "far_meters": services.settings_for(election).far_meters,
    })


def _flag(value: str) -> bool | None:
    return {"ya": True, "tidak": False}.get((value or "").strip().lower())


def _post(request, code: str, label: str, call):
    """Run ``call(user, tps, post, files, client_id)`` -> (row, created) and answer the queue."""
    wants_json = _wants_json(request)
    client_id = (request.POST.get("client_id") or "").strip()
    if not request.user.is_authenticated:
        if wants_json:
            return _answer(client_id, "login", _("Sesi Anda berakhir: masuk lagi untuk mengirim."), 401)
        return redirect_to_login(reverse("fieldday:page", args=[code]))
    try:
        election = _election(request)
        require(request.user, Action.FIELD_REPORT if label != "incident" else Action.REPORT_INCIDENT, code)
        tps = _tps(election, code)
        if not client_id:
            raise ValidationError(_("Kode kiriman (client_id) wajib diisi."))
        row, created = call(request.user, tps, request.POST, request.FILES, client_id)
    except PermissionDenied as exc:
        if wants_json:
            return _answer(client_id, "forbidden", str(exc), 403)
        raise
    except ValidationError as exc:
        text = " ".join(exc.messages)
        if wants_json:
            return _answer(client_id, "invalid", text, 400, errors={"__all__": exc.messages})
        messages.error(request, text)
        return redirect(_page_url(election, code))
    text = _MESSAGES[label](row) if created else _("Sudah diterima sebelumnya; tidak dicatat dua kali.")
    if wants_json:
        return _answer(str(row.client_id), "received" if created else "duplicate", text, 200,
                       url=_page_url(election, code))
    messages.success(request, text)
    return redirect(_page_url(election, code))


def _checkin_text(row) -> str:
    if row.far:
        return _("Check-in tercatat, %(m)s m dari lokasi TPS: koordinator melihat jarak ini.") % {"m": row.distance_m}
    return _("Check-in tercatat.")


_MESSAGES = {
    "checkin": _checkin_text,
    "turnout": lambda row: _("Kehadiran pemilih tercatat: %(n)s pemilih pukul %(s)s.") % {"n": row.voters,
                                                                                        "s": row.slot},
    "checklist": lambda row: _("Jawaban daftar periksa tercatat."),
    "incident": lambda row: (_("Laporan kejadian tercatat. Memicu PSU: ajukan paling lambat %(d)s.")
                             % {"d": row.psu_deadline.strftime("%d-%m-%Y")} if row.psu_trigger
                             else _("Laporan kejadian tercatat; koordinator memverifikasi.")),
}


def _at(post):
    return post.get("at") or timezone.now()


@require_POST
def post_checkin(request, code: str):
    return _post(request, code, "checkin", lambda user, tps, post, files, cid: services.check_in(
        user, tps, at=_at(post), lat=post.get("lat") or None, lon=post.get("lon") or None,
        photo=files.get("foto"), mandate_accepted=_flag(post.get("mandat", "")), client_id=cid))


@require_POST
def post_turnout(request, code: str):
    return _post(request, code, "turnout", lambda user, tps, post, files, cid: services.record_turnout(
        user, tps, at=_at(post), voters=post.get("voters"), slot=post.get("slot") or None, client_id=cid))


@require_POST
def post_checklist(request, code: str):
    return _post(request, code, "checklist", lambda user, tps, post, files, cid: services.answer_checklist(
        user, tps, item_key=post.get("item", ""), answer=post.get("answer", ""), note=post.get("note", ""),
        at=_at(post), client_id=cid))


@require_POST
def post_incident(request, code: str):
    return _post(request, code, "incident", lambda user, tps, post, files, cid: services.report_incident(
        user, tps, category_key=post.get("category", ""), description=post.get("description", ""),
        occurred_at=post.get("occurred_at") or _at(post), files=files.getlist("bukti"), client_id=cid))
