"""Volunteer pages: public self-registration, the registry (list, detail, export), bulk upload.

Readiness and partner organisations are in ``views_readiness``. Every view asks
``kawaltps.access``; personal data goes through ``privacy.personal_view``.
"""


from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kawaltps.access import Action, may, scope_q
from kawaltps.access.views import requires
from kawaltps.audit.services import history
from kawaltps.core import throttle
from kawaltps.core.numbers import parse_id
from kawaltps.core.spreadsheet import csv_response, write_csv
from kawaltps.people import access_log
from kawaltps.people.models import Organisation
from kawaltps.regions.lookup import from_request as region_from_request

from . import columns, consent
from .forms import RegistrationForm
from .models import Volunteer
from .privacy import personal_view
from .services import duplicate_records, register


def _registry_q(user) -> Q:
    """Volunteers the user may see in the registry: managers, and trainers of their area (masked)."""
    manage = scope_q(user, Action.MANAGE_VOLUNTEERS, "kelurahan__code")
    train = scope_q(user, Action.MANAGE_TRAINING, "kelurahan__code")
    return manage | train


def _require_registry(user) -> None:
    if not (may(user, Action.MANAGE_VOLUNTEERS) or may(user, Action.MANAGE_TRAINING)):
        raise PermissionDenied(_("Anda tidak berwenang melihat daftar relawan."))


@require_http_methods(["GET", "POST"])
def register_view(request):
    """Public, mobile-first self-registration; consent to personal-data processing is required.

    Every valid registration gets the same answer (the thank-you page), whether the NIK or phone
    was new or already registered: a duplicate is noted for the koordinator
    (``services.record_duplicate``), never told to the person typing. Rate-limited per address
    (``core.throttle`` "register").
    """
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        throttle.attempt("register", request)
        if form.is_valid():
            d = form.cleaned_data
            register(name=d["name"], nik=d["nik"], phone=d["phone"], kelurahan_id=d["kelurahan"],
                     organisation_id=d["organisation"].pk if d["organisation"] else None,
                     address=d["address"], available=d["available"],
                     by=request.user if request.user.is_authenticated else None,
                     guardian_name=d["guardian_name"], guardian_relation=d["guardian_relation"])
            return redirect("volunteers:registered")
    return render(request, "volunteers/register.html", {"form": form, "consent_text": consent.current_text()})


def registered_view(request):
    return render(request, "volunteers/registered.html")


def _filtered(request):
    user = request.user
    qs = Volunteer.objects.filter(_registry_q(user))
    region_filter = region_from_request(request)  # a kelurahan/kecamatan/kota name or a code
    f = {"wilayah": region_filter["code"], "region_filter": region_filter,
         "status": request.GET.get("status", ""), "ormas": request.GET.get("ormas", ""),
         "q": request.GET.get("q", "").strip(), "ganda": request.GET.get("ganda", "") == "1"}
    if f["wilayah"]:
        qs = qs.filter(kelurahan__code__startswith=f["wilayah"])
    if f["status"] in Volunteer.Status.values:
        qs = qs.filter(status=f["status"])
    if f["ormas"] == "none":
        qs = qs.filter(organisation__isnull=True)
    elif f["ormas"]:  # an id by core.numbers.parse_id; anything else ("²", 30 digits) matches nobody
        qs = qs.filter(organisation_id=parse_id(f["ormas"]) or 0)
    if f["q"]:
        qs = qs.filter(name__icontains=f["q"])
    if f["ganda"]:
        qs = qs.filter(pk__in=_duplicate_ids(user))
    return qs, f


def _duplicate_ids(user) -> list[int]:
    """Volunteers someone tried to register again (same NIK or phone), within the user's area."""
    ids = duplicate_records(scope_q(user, Action.MANAGE_VOLUNTEERS, "code")).values_list("object_id", flat=True)
    return sorted({int(i) for i in ids})


def volunteer_list(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _require_registry(request.user)
    qs, f = _filtered(request)
    page = Paginator(qs.select_related("kelurahan__parent", "organisation").order_by("name", "pk"), 50)
    page = page.get_page(request.GET.get("halaman"))
    rows = [(v, personal_view(request.user, v)) for v in page.object_list]
    access_log.record(request.user, [v for v, p in rows if not p["masked"]], request.get_full_path())
    params = request.GET.copy()
    params.pop("halaman", None)
    others = params.copy()
    others.pop("wilayah", None)
    return render(request, "volunteers/list.html", {
        "page": page, "rows": rows, "filters": f, "total": page.paginator.count, "query": params.urlencode(),
        "statuses": Volunteer.Status.choices, "organisations": Organisation.objects.all(),
        "region_filter": f["region_filter"], "region_query": others.urlencode() + "&" if others else "",
        "can_manage": may(request.user, Action.MANAGE_VOLUNTEERS),
        "duplicates": len(_duplicate_ids(request.user)) if may(request.user, Action.MANAGE_VOLUNTEERS) else 0,
    })


def volunteer_detail(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _require_registry(request.user)
    volunteer = get_object_or_404(Volunteer.objects.filter(_registry_q(request.user))
                                  .select_related("kelurahan__parent__parent", "organisation"), pk=pk)
    personal = personal_view(request.user, volunteer)
    if not personal["masked"]:
        access_log.record(request.user, [volunteer], request.get_full_path())
    return render(request, "volunteers/detail.html", {
        "v": volunteer, "personal": personal,
        "can_erase": may(request.user, Action.MANAGE_VOLUNTEERS, volunteer.kelurahan_id)
        and may(request.user, Action.VIEW_PERSONAL_DATA, volunteer.kelurahan_id),
        "changes": history(subject="volunteers.Volunteer", object_id=str(volunteer.pk)).order_by("-occurred_at")[:20],
    })


@requires(Action.MANAGE_VOLUNTEERS)
def export_csv(request):
    """The registry as CSV without NIK, phone or address (safe to share with partner ormas).

    Written through ``core.spreadsheet`` so a name such as ``=HYPERLINK(...)`` arrives as text.
    """
    qs, _f = _filtered(request)
    qs = qs.filter(scope_q(request.user, Action.MANAGE_VOLUNTEERS, "kelurahan__code"))
    header = ["id", "nama", "kode_kelurahan", "kelurahan", "kecamatan", "organisasi", "bersedia", "status",
              "terdaftar"]

    def rows():
        yield header
        for v in (qs.select_related("kelurahan__parent", "organisation").order_by("pk").iterator(chunk_size=2000)):
            yield [v.pk, v.name, v.kelurahan_id, v.kelurahan.name, v.kelurahan.parent.name
                   if v.kelurahan.parent else "", v.organisation.name if v.organisation else "",
                   "ya" if v.available_on_election_day else "tidak", v.status, v.created_at.date().isoformat()]

    return csv_response("relawan-tanpa-data-pribadi.csv", rows())


@requires(Action.MANAGE_VOLUNTEERS)
def template_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="templat-relawan.csv"'
    write_csv(response, [columns.TEMPLATE_HEADER, columns.TEMPLATE_EXAMPLE])
    return response
