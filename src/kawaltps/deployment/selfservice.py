"""The volunteer's pages: activation (no login needed) and "Tugas saya" — Bimtek, certificate,
assignment, mandate and the WhatsApp text, in one place."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kawaltps.training.models import Certificate, Enrolment
from kawaltps.volunteers.models import Volunteer

from . import accounts, whatsapp
from .models import Assignment, Mandate
from .rules import DeploymentError
from .tasks import verify_url


@login_required
def mine(request):
    volunteer = Volunteer.objects.filter(user=request.user).select_related("kelurahan").first()
    if volunteer is None:
        raise PermissionDenied(_("Halaman ini untuk relawan yang akunnya terhubung dengan data relawan."))
    base = request.build_absolute_uri("/").rstrip("/")
    posts = list(Assignment.objects.filter(volunteer=volunteer, status=Assignment.Status.ACTIVE)
                 .select_related("tps__kelurahan", "election"))
    for a in posts:
        a.mandate = Mandate.objects.filter(assignment=a, status=Mandate.Status.VALID).first()
        a.map = whatsapp.map_link(a.tps)
        a.text = whatsapp.saksi_text(a, lambda code: verify_url(code, base))
    plenary = Mandate.objects.filter(volunteer=volunteer, assignment__isnull=True, status=Mandate.Status.VALID)
    return render(request, "deployment/mine.html", {
        "volunteer": volunteer, "posts": posts, "plenary": plenary,
        "enrolments": Enrolment.objects.filter(volunteer=volunteer).select_related("session").order_by(
            "-session__date"),
        "certificates": Certificate.objects.filter(enrolment__volunteer=volunteer).order_by("-issued_at"),
        "what_to_bring": whatsapp.WHAT_TO_BRING})


def activation_request(request):
    """Ask for a code: the same answer whether or not the number is registered."""
    if request.method == "POST":
        link = request.build_absolute_uri(reverse("deployment:activate"))
        accounts.request_code(request.POST.get("hp", ""), link_base=link)
        messages.info(request, _("Jika nomor itu terdaftar sebagai relawan, kode aktivasi sudah dikirim."))
        return redirect("deployment:activate")
    return render(request, "deployment/activation_request.html")


def activate(request):
    error = None
    phone = request.POST.get("hp") or request.GET.get("hp", "")
    code = request.POST.get("kode") or request.GET.get("kode", "")
    if request.method == "POST":
        if request.POST.get("sandi", "") != request.POST.get("sandi2", ""):
            error = _("Kedua isian kata sandi tidak sama.")
        else:
            try:
                user = accounts.activate_or_count(phone, code, request.POST.get("sandi", ""))
            except DeploymentError as exc:
                error = str(exc)
            else:
                login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
                messages.success(request, _("Akun Anda aktif. Nama pengguna Anda: %(u)s") % {"u": user.username})
                return redirect("deployment:mine")
    return render(request, "deployment/activate.html", {"phone": phone, "code": code, "error": error},
                  status=400 if error else 200)
