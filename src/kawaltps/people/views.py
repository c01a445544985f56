"""Account pages: two-factor verification and enrolment, recovery codes, the personal-data access log."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kawaltps.access import Action, require

from . import twofactor
from .models import PersonalDataView


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of the login: a code from the authenticator app or a recovery code."""
    if twofactor.is_verified(request) or not twofactor.confirmed_device(request.user) and \
            not twofactor.requires_2fa(request.user):
        return redirect(twofactor.safe_next(request))
    if not twofactor.confirmed_device(request.user):
        return redirect("people:otp_enrol")
    error = ""
    if request.method == "POST":
        if twofactor.check_code(request, request.user, request.POST.get("code", "")):
            return redirect(twofactor.safe_next(request))
        error = _("Kode salah atau sudah dipakai. Masukkan kode 6 angka dari aplikasi autentikator, "
                  "atau satu kode cadangan.")
    return render(request, "people/otp_verify.html", {"error": error, "next": twofactor.safe_next(request)},
                  status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    """Set up an authenticator: scan the QR code (or type the secret), confirm with one code."""
    if twofactor.confirmed_device(request.user) and not twofactor.is_verified(request):
        return redirect("people:otp_verify")  # replacing a device needs the current one first
    device = twofactor.start_enrolment(request.user)
    error, codes = "", None
    if request.method == "POST":
        codes = twofactor.confirm_enrolment(request, device, request.POST.get("code", ""))
        if codes is None:
            error = _("Kode salah. Periksa jam ponsel Anda, lalu masukkan kode 6 angka yang sedang tampil.")
    return render(request, "people/otp_enrol.html", {
        "qr": twofactor.qr_svg_data_uri(device), "secret": twofactor.secret_base32(device), "error": error,
        "codes": codes, "next": twofactor.safe_next(request)}, status=400 if error else 200)


@login_required
@require_http_methods(["POST"])
def otp_recovery(request):
    """New recovery codes (the old ones stop working); only in a verified session."""
    if not twofactor.is_verified(request):
        return redirect("people:otp_verify")
    return render(request, "people/otp_recovery.html", {"codes": twofactor.new_recovery_codes(request.user)})


@login_required
def access_log(request):
    """Who saw whose unmasked personal data, when: for the data protection officer (and admin)."""
    require(request.user, Action.VIEW_ACCESS_LOG)
    rows = PersonalDataView.objects.select_related("viewer").order_by("-at", "-pk")
    who = request.GET.get("pengguna", "").strip()
    if who:
        rows = rows.filter(viewer__username=who)
    page = Paginator(rows, 100).get_page(request.GET.get("hal"))
    return render(request, "people/access_log.html", {"page": page, "who": who})
