"""The koordinator's broadcast page at ``/pesan/siaran/``: compose, preview the count, send, history.

Who may: ``Action.MANAGE_DEPLOYMENT`` (a koordinator within their region, admin everywhere); the
rules of a broadcast are ``broadcasts.broadcast``'s (one door with ``kawaltps broadcast``). The
"Pratinjau" button counts the recipients without sending; "Kirim" sends (audited there). The
history lists the broadcasts whose region lies in the user's scope, with their delivery counts; a
nationwide user also sees how many failed messages wait for ``kawaltps resend-messages``.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kawaltps.access import Action, require, scope_prefix, scope_q
from kawaltps.elections.services import election_for
from kawaltps.results.forms import error_dict

from . import broadcasts
from .models import Broadcast, OutboundMessage


def _form(request) -> dict:
    data = request.POST if request.method == "POST" else request.GET
    return {"audience": data.get("audience", Broadcast.Audience.KELURAHAN),
            "region": (data.get("region") or "").replace(".", "").strip(),
            "text": data.get("text", ""), "client_id": data.get("client_id") or str(uuid.uuid4())}


@login_required
def broadcast_page(request):
    require(request.user, Action.MANAGE_DEPLOYMENT)  # somewhere; the region is checked on preview/send
    election = election_for(request)
    if election is None:
        raise Http404(_("Belum ada pemilihan."))
    form, errors, preview = _form(request), [], None
    if request.method == "POST":
        try:
            if "preview" in request.POST:
                preview = broadcasts.preview(request.user, election, form["audience"], form["region"], form["text"])
            else:
                row = broadcasts.broadcast(request.user, election, form["audience"], form["region"], form["text"],
                                           form["client_id"])
                messages.success(request, _("Siaran dikirim ke %(n)s penerima (%(ok)s terkirim, %(bad)s gagal).")
                                 % {"n": row.recipients, "ok": row.delivered, "bad": row.failed})
                return redirect(f"{request.path}?pemilihan={election.slug}")
        except ValidationError as exc:
            errors = [m for ms in error_dict(exc).values() for m in ms]
        except PermissionDenied:
            errors = [_("Wilayah %(c)s di luar wilayah tugas Anda.") % {"c": form["region"]}]
    past = (Broadcast.objects.filter(election=election)
            .filter(scope_q(request.user, Action.MANAGE_DEPLOYMENT, "region_code"))
            .select_related("sent_by")[:50])
    waiting = None
    if not scope_prefix(request.user):  # the resend queue is nationwide: only a nationwide user sees it
        failed = OutboundMessage.objects.filter(status=OutboundMessage.Status.FAILED)
        waiting = {"again": failed.filter(next_attempt_at__isnull=False).count(),
                   "stopped": failed.filter(next_attempt_at__isnull=True).count()}
    status = 400 if errors else 200
    return render(request, "messaging/broadcasts.html", {
        "election": election, "form": form, "errors": errors, "preview": preview, "past": past,
        "audiences": Broadcast.Audience.choices, "max_text": broadcasts.MAX_TEXT,
        "scope": scope_prefix(request.user) or "", "waiting": waiting}, status=status)
