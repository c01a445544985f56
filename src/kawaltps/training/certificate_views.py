"""Certificate download (its volunteer, or a manager of its region) and the public verification page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kawaltps.access import Action, may, require
from kawaltps.core import throttle

from . import certificates, services
from .forms import RevokeForm
from .models import Certificate


def verify_url(request, code: str) -> str:
    return request.build_absolute_uri(reverse("training:verify", args=[code]))


def _answer(request, code: str):
    """The verification page for ``code`` (any text): rate-limited per address (``core.throttle``)."""
    throttle.attempt("certificate", request)
    result = certificates.verify(code)
    status = 200 if result.status == "valid" else (410 if result.status == "revoked" else 404)
    shown = certificates.normalise_code(code) or code[:40]
    return render(request, "training/verify.html", {"result": result, "code": shown}, status=status)


def verify(request, code: str):
    """Public: is this certificate genuine? Masked name, session and date only."""
    return _answer(request, code)


def verify_form(request):
    """The form; a well-formed code goes to its own page, anything else is answered here as unknown."""
    code = request.GET.get("kode", "").strip()
    if not code:
        return render(request, "training/verify.html", {"result": None, "code": ""})
    normal = certificates.normalise_code(code)
    if normal:
        return redirect("training:verify", code=normal)
    return _answer(request, code)


def _certificate_for(request, code: str) -> Certificate:
    qs = Certificate.objects.select_related("enrolment__volunteer", "enrolment__session__region")
    cert = get_object_or_404(qs, verification_code=code)
    own = services.volunteer_of(request.user)
    if not (own and own.pk == cert.enrolment.volunteer_id) and not may(
            request.user, Action.MANAGE_TRAINING, cert.enrolment.session.region_id):
        raise PermissionDenied(_("Anda hanya dapat mengunduh sertifikat Anda sendiri."))
    return cert


@login_required
def certificate_pdf(request, code: str):
    cert = _certificate_for(request, code)
    if not cert.valid:
        raise PermissionDenied(_("Sertifikat ini sudah dicabut."))
    pdf = certificates.render_pdf(cert, verify_url(request, cert.verification_code))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-bimtek-{cert.verification_code}.pdf"'
    return response


@login_required
@require_POST
def revoke(request, code: str):
    cert = get_object_or_404(Certificate.objects.select_related("enrolment__session"), verification_code=code)
    require(request.user, Action.MANAGE_TRAINING, cert.enrolment.session.region_id)
    form = RevokeForm(request.POST)
    if form.is_valid():
        certificates.revoke(cert, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Sertifikat %(n)s dicabut.") % {"n": cert.number})
    else:
        messages.error(request, _("Alasan pencabutan wajib diisi."))
    return redirect("training:session", pk=cert.enrolment.session_id)
