"""Pages of result capture: the saksi's form, clerk entry from photos, reconciliation, a TPS's result.

Thin: every decision is in :mod:`kawaltps.results.services`; every page asks :mod:`kawaltps.access`.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kawaltps.access import Action, may, may_see_result, require
from kawaltps.audit.services import history
from kawaltps.core.formatting import number, paslon
from kawaltps.core.numbers import parse_id
from kawaltps.core.paging import page_of
from kawaltps.core.wording import value_label
from kawaltps.elections.services import election_for
from kawaltps.people.models import Role
from kawaltps.regions.models import TPS

from . import attestation as attest
from . import duplicates, queues, services, uploads
from .checks import message, run_attestation_checks, run_checks
from .forms import error_dict, field_labels, form_sections, read_post
from .models import Photo, PhotoUpload, State, Submission, TpsResult
from .outcomes import WARNINGS, outcome_of, saksi_message


def _election(request):
    election = election_for(request)
    if election is None:
        raise Http404(_("Belum ada pemilihan."))
    return election


def _tps(election, code: str) -> TPS:
    return get_object_or_404(TPS.objects.select_related("kelurahan"), election=election, code=code)


def _witness_result(election, tps: TPS) -> TpsResult | None:
    """The TPS's result from our saksi (``Source.WITNESS``), None before its first photo or entry."""
    return TpsResult.objects.filter(election=election, tps=tps, source="witness").first()


def _tps_url(election, code: str) -> str:
    return f"{reverse('results:tps', args=[code])}?pemilihan={election.slug}"


def _photos(request) -> list[tuple[object, object, str]]:
    """``(page, upload, document)`` from the form's files: ``foto_<page>`` are the salinan's pages,
    ``foto_plano`` / ``foto_keberatan`` / ``foto_daftar_hadir`` one photo of that document."""
    out = []
    for key, upload in sorted(request.FILES.items()):
        name = key.removeprefix("foto_")
        if not key.startswith("foto_"):
            continue
        out.append((1, upload, name) if name in attest.EXTRA_DOCUMENTS else (name, upload, "salinan"))
    return out


@login_required
def saksi_home(request):
    """A saksi goes straight to the form of their own TPS."""
    if request.user.role == Role.SAKSI and request.user.tps_code:
        election = _election(request)
        return redirect(f"{reverse('results:submit', args=[request.user.tps_code])}?pemilihan={election.slug}")
    require(request.user, Action.SUBMIT_RESULT)
    raise Http404(_("Akun Anda tidak bertugas di satu TPS."))


def _wants_json(request) -> bool:
    """The offline queue (``offline-queue.js``) asks for JSON: an explicit acknowledgement."""
    return "application/json" in request.headers.get("Accept", "")


NOT_ACKED = {"login", "forbidden", "invalid"}  # refusals: the queue keeps the item


def _answer(client_id: str, status: str, message: str, code: int, **extra) -> JsonResponse:
    """The queue's answer: ``ack`` names the client id only when that exact submission is stored."""
    body = {"ack": client_id if status not in NOT_ACKED else None, "client_id": client_id, "status": status,
            "message": message, **extra}
    response = JsonResponse(body, status=code)
    response["Cache-Control"] = "no-store"
    return response


def submit(request, code: str):
    """The saksi's C.Hasil form: numbers and page photos, one POST, idempotent by its hidden client_id.

    A browser without JavaScript gets the page (errors) or a redirect to the TPS page with the
    outcome (``outcomes.saksi_message``). The offline queue (``Accept: application/json``) gets
    JSON: ``{"ack": client_id, "status": outcome, "message": ...}`` once that submission is stored;
    otherwise ``ack`` is null and ``status`` says why (``login`` 401, ``forbidden`` 403,
    ``invalid`` 400 with ``errors`` per field), so the queue keeps the item and shows the reason.
    """
    wants_json = _wants_json(request)
    client_id = (request.POST.get("client_id") or "").strip() if request.method == "POST" else ""
    if not request.user.is_authenticated:
        if wants_json:
            return _answer(client_id, "login", _("Sesi Anda berakhir: masuk lagi untuk mengirim."), 401)
        return redirect_to_login(request.get_full_path())
    try:
        require(request.user, Action.SUBMIT_RESULT, code)
    except PermissionDenied as exc:
        if wants_json:
            return _answer(client_id, "forbidden", str(exc), 403)
        raise
    election = _election(request)
    tps = _tps(election, code)
    errors, votes, numbers, attestation = {}, {}, {}, {}
    if wants_json and request.method == "POST" and not client_id:  # an ack must name what it stored
        return _answer("", "invalid", _("Id kiriman (client_id) wajib diisi, paling panjang 64 karakter."), 400)
    client_id = client_id or str(uuid.uuid4())
    if request.method == "POST":
        votes, numbers = read_post(election, request.POST)
        attestation = attest.read_post(election, request.POST)
        try:
            sub = services.submit(request.user, election, code, "saksi", votes, numbers, client_id,
                                  photos=_photos(request), attestation=attestation)
        except ValidationError as exc:
            errors = error_dict(exc)
            if wants_json:
                text = _("Ada isian yang salah: %(m)s") % {"m": " ".join(m for ms in errors.values() for m in ms)}
                return _answer(client_id, "invalid", text, 400, errors=errors)
        except PermissionDenied as exc:
            if wants_json:
                return _answer(client_id, "forbidden", str(exc), 403)
            raise
        else:
            outcome, text = outcome_of(sub), saksi_message(sub)
            if wants_json:
                return _answer(sub.client_id, str(outcome), text, 200, state=sub.result.state,
                               state_label=str(sub.result.get_state_display()), tps=sub.result.code,
                               url=_tps_url(election, code))
            (messages.warning if outcome in WARNINGS else messages.success)(request, text)
            return redirect(_tps_url(election, code))
    result = _witness_result(election, tps)
    return render(request, "results/submit.html", {
        "election": election, "tps": tps, "result": result, "client_id": client_id,
        "sections": form_sections(election, votes, numbers, errors), "errors": errors.get("__all__", []),
        "has_errors": bool(errors), "pages": range(1, election.form.pages + 1),
        "attest": attest.form_context(election, attestation, errors),
        "extra_documents": [(d, attest.DOCUMENTS[d]) for d in attest.EXTRA_DOCUMENTS],
        "direct_upload": uploads.available(),
    }, status=400 if errors else 200)


def queue_token(request):
    """A fresh CSRF token for the offline queue, and who is logged in (after a new login the old
    token in a queued form is void). Not logged in: 401 JSON, so the queue asks the saksi to log in."""
    if not request.user.is_authenticated:
        response = JsonResponse({"csrf": None, "user": None}, status=401)
    else:
        response = JsonResponse({"csrf": get_token(request), "user": request.user.username})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def entry_queue(request):
    """TPS whose photos wait for this clerk: a first entry, or a blind second entry of someone else's."""
    require(request.user, Action.ENTER_RESULT)
    election = _election(request)
    page = page_of(request, queues.entry_queue(request.user, election))
    return render(request, "results/entry_queue.html", {"election": election, "results": page,
                                                        "page": page, "count": page.paginator.count})


@login_required
def entry(request, code: str):
    """A clerk enters the numbers from the photos. The numbers already entered are never shown (blind)."""
    require(request.user, Action.ENTER_RESULT, code)
    election = _election(request)
    tps = _tps(election, code)
    result = _witness_result(election, tps)
    errors, votes, numbers, attestation = {}, {}, {}, {}
    client_id = str(uuid.uuid4())
    if request.method == "POST":
        votes, numbers = read_post(election, request.POST)
        attestation = attest.read_post(election, request.POST)
        client_id = request.POST.get("client_id") or client_id
        try:
            sub = services.submit(request.user, election, code, "clerk_first", votes, numbers, client_id,
                                  attestation=attestation)
        except ValidationError as exc:
            errors = error_dict(exc)
        else:
            state = sub.result.get_state_display() if not sub.replayed else ""
            messages.success(request, _("Entri tersimpan. Status TPS: %(state)s.") % {"state": state})
            return redirect(f"{reverse('results:entry_queue')}?pemilihan={election.slug}")
    second = bool(result and result.state == State.ENTERED)
    return render(request, "results/entry.html", {
        "election": election, "tps": tps, "result": result, "second": second, "client_id": client_id,
        "photos": result.photos.all() if result else [], "sections": form_sections(election, votes, numbers, errors),
        "errors": errors.get("__all__", []), "has_errors": bool(errors),
        "attest": attest.form_context(election, attestation, errors),
    }, status=400 if errors else 200)


@login_required
def reconcile_queue(request):
    require(request.user, Action.RECONCILE_RESULT)
    election = _election(request)
    page = page_of(request, queues.reconcile_queue(request.user, election))
    return render(request, "results/reconcile_queue.html", {"election": election, "results": page,
                                                            "page": page, "count": page.paginator.count})


def _compare_rows(election, entries: list[Submission]) -> list[dict]:
    """One row per form field: each entry's value and whether they differ."""
    rows = []
    keys = [(paslon(c.number), "v", str(c.number)) for c in election.candidates.all()]
    labels = field_labels(election)
    keys += [(labels[k], "n", k) for k in election.form.keys()]
    for label, where, key in keys:
        values = [(e.votes if where == "v" else e.numbers).get(key) for e in entries]
        rows.append({"label": label, "values": values, "differs": len(set(values)) > 1})
    return rows


@login_required
def reconcile(request, code: str):
    """Both (all) entries side by side with the photos; the supervisor picks the numbers that count."""
    require(request.user, Action.RECONCILE_RESULT, code)
    election = _election(request)
    result = get_object_or_404(TpsResult.objects.select_related("tps", "election"), election=election,
                               code=code, source="witness")
    entries = services.entries_to_compare(result)
    if request.method == "POST":
        chosen = get_object_or_404(Submission, pk=parse_id(request.POST.get("submission")) or 0, result=result)
        try:
            services.reconcile(request.user, result, request.POST.get("client_id") or str(uuid.uuid4()),
                               chosen.votes, chosen.numbers, note=request.POST.get("note", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in error_dict(exc).values() for m in ms))
        else:
            messages.success(request, _("Keputusan tersimpan: TPS ini final."))
            return redirect(f"{reverse('results:reconcile_queue')}?pemilihan={election.slug}")
    return render(request, "results/reconcile.html", {
        "election": election, "result": result, "tps": result.tps, "entries": entries,
        "rows": _compare_rows(election, entries), "photos": result.photos.all(), "client_id": str(uuid.uuid4()),
    })


def _change_summary(record, labels: dict[str, str]) -> list[str]:
    """One change in words (issue 13.3): state labels, paslon and form-field names, failed checks by
    their message; never the stored keys."""
    before, after = record.before or {}, record.after or {}
    out = []
    if before.get("state") != after.get("state") and after.get("state"):
        out.append(_("status: %(a)s → %(b)s") % {"a": value_label(before.get("state")),
                                                   "b": value_label(after["state"])})
    for part in ("votes", "numbers"):
        b, a = before.get(part) or {}, after.get(part) or {}
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key) and part in after:
                label = paslon(key) if part == "votes" else labels.get(key, key)
                out.append(f"{label}: {number(b.get(key))} → {number(a.get(key))}")
    if "flags" in after and before.get("flags") != after.get("flags"):
        out.append(_("pemeriksaan gagal: %(f)s") % {"f": "; ".join(str(message(f)) for f in after["flags"]) or "–"})
    if "page" in after and "state" not in after:
        out.append(_("halaman %(n)s") % {"n": after["page"]})
    return out


@login_required
def tps_result(request, code: str):
    """A TPS's numbers, failing checks in plain words, photos, every entry and every change."""
    require(request.user, Action.VIEW_RESULTS, code)
    election = _election(request)
    tps = _tps(election, code)
    result = _witness_result(election, tps)
    hidden = bool(result) and result.state != State.RECEIVED and not may_see_result(request.user, result)
    failures = []
    if result and result.state != State.RECEIVED and not hidden:
        failures = [f.as_dict() for f in run_checks(election, tps, result.votes, result.numbers)]
        failures += [f.as_dict() for f in run_attestation_checks(result.attestation)]
        failures += [{"code": c, "message": message(c), "detail": ""} for c in result.flags
                     if c not in {f["code"] for f in failures}]
    records, labels = [], field_labels(election)
    if result:
        for r in history(subject="results.TpsResult", object_id=str(result.pk)).select_related("user"):
            records.append({"when": r.occurred_at, "who": r.actor, "action": r.action, "reason": r.reason,
                            "changes": [] if hidden else _change_summary(r, labels)})
    return render(request, "results/tps.html", {
        "election": election, "tps": tps, "result": result, "hidden": hidden, "failures": failures,
        "sections": form_sections(election, result.votes, result.numbers) if result and not hidden else [],
        "photos": result.photos.all() if result else [], "records": records,
        "attest": attest.form_context(election, result.attestation if result and not hidden else None),
        "uploads": PhotoUpload.objects.filter(election=election, code=code).order_by("page", "created_at"),
        "matches": _matches(result) if result and not hidden else [],
        "may_dismiss": may(request.user, Action.RECONCILE_RESULT, code),
        "submissions": result.submissions.select_related("entered_by") if result and not hidden else [],
        "may_submit": may(request.user, Action.SUBMIT_RESULT, code),
        "may_enter": may(request.user, Action.ENTER_RESULT, code),
        "may_reconcile": may(request.user, Action.RECONCILE_RESULT, code) and result
        and result.state == State.DISPUTED,
    })


def _matches(result) -> list[dict]:
    """The TPS's photos that look like photos of other TPS: the matches, named by TPS and page."""
    found = duplicates.matches_of_result(result)
    if not found:
        return []
    photos = {p.pk: p for p in result.photos.filter(pk__in=found)}
    return [{"photo": photos[pk], "matches": ms} for pk, ms in sorted(found.items())]


@login_required
def dismiss_match(request, code: str, pk: int):
    """A koordinator (``RECONCILE_RESULT`` on the TPS) says a duplicate match is false, with a reason."""
    require(request.user, Action.RECONCILE_RESULT, code)
    if request.method != "POST":
        return redirect(_tps_url(_election(request), code))
    photo = get_object_or_404(Photo.objects.select_related("result__election"), pk=pk, result__code=code)
    other = Photo.objects.select_related("result").filter(pk=parse_id(request.POST.get("other"))).first()
    election = photo.result.election
    if other is None:
        messages.error(request, _("Foto pembanding tidak ditemukan."))
    else:
        try:
            duplicates.dismiss(request.user, photo, other, request.POST.get("reason", ""))
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Dicatat: foto ini bukan duplikat foto TPS %(code)s.")
                             % {"code": other.result.code})
    return redirect(_tps_url(election, code))


@login_required
def photo(request, pk: int):
    """A stored page photo, to those who may see the TPS's results."""
    obj = get_object_or_404(Photo.objects.select_related("result"), pk=pk)
    if not (may(request.user, Action.VIEW_RESULTS, obj.result.code)
            or may(request.user, Action.ENTER_RESULT, obj.result.code)):
        raise PermissionDenied(_("Anda tidak berwenang melihat foto ini."))
    response = FileResponse(default_storage.open(obj.file.name, "rb"), content_type=obj.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
