"""Personal-data pages (UU 27/2022): a volunteer's own data and withdrawal; erasure by a koordinator/admin.

- ``/relawan/saya/data/`` (a logged-in volunteer, their own record only): every personal datum held,
  the consent texts agreed to, and a button that withdraws consent (``consent.withdraw``).
- ``/relawan/<id>/hapus/`` (``MANAGE_VOLUNTEERS`` *and* ``VIEW_PERSONAL_DATA`` in the volunteer's
  kelurahan: their koordinator, an admin acting as data protection officer): shows the open cases
  that block erasure, or erases on POST (``erasure.erase``, same rule as ``kawaltps erase``).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kawaltps.access import Action, may

from . import consent
from .erasure import ErasureRefused, erase, open_cases
from .models import Erasure, Volunteer
from .privacy import personal_view


@require_http_methods(["GET", "POST"])
def my_data(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    volunteer = Volunteer.objects.filter(user=request.user).select_related("kelurahan", "organisation").first()
    if volunteer is None:
        raise Http404(_("Akun ini tidak terhubung dengan data relawan."))
    if request.method == "POST":
        if consent.withdraw(volunteer, by=request.user):
            messages.success(request, _("Persetujuan Anda ditarik. Data Anda tidak lagi dipakai untuk penugasan; "
                                        "untuk menghapusnya hubungi koordinator atau petugas pelindungan data."))
        return redirect("volunteers:my_data")
    return render(request, "volunteers/my_data.html", {
        "v": volunteer, "personal": personal_view(request.user, volunteer),
        "consents": volunteer.consents.all(), "standing": volunteer.consents.filter(withdrawn_at__isnull=True).exists(),
        "contact": settings.KAWALTPS_DATA_CONTACT,
    })


def _may_erase(user, volunteer: Volunteer) -> bool:
    return may(user, Action.MANAGE_VOLUNTEERS, volunteer.kelurahan_id) and \
        may(user, Action.VIEW_PERSONAL_DATA, volunteer.kelurahan_id)


@require_http_methods(["GET", "POST"])
def erase_view(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    volunteer = get_object_or_404(Volunteer.objects.select_related("kelurahan"), pk=pk)
    if not _may_erase(request.user, volunteer):
        raise PermissionDenied(_("Anda tidak berwenang menghapus data relawan ini."))
    error, status = "", 200
    if request.method == "POST":
        try:
            erase(volunteer, by=request.user, reason=request.POST.get("reason", "").strip()[:500])
        except ErasureRefused as exc:
            error, status = str(exc), 409
        else:
            messages.success(request, _("Data pribadi relawan dihapus (dianonimkan)."))
            return redirect("volunteers:detail", pk=volunteer.pk)
    return render(request, "volunteers/erase.html", {
        "v": volunteer, "personal": personal_view(request.user, volunteer), "error": error,
        "cases": open_cases(volunteer), "erased": Erasure.objects.filter(volunteer=volunteer).first(),
    }, status=status)
