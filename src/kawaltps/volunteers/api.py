"""Volunteers API at /api/volunteers/: readiness per level, and the registry (personal data masked by role)."""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from kawaltps.access import Action, require, scope_q
from kawaltps.access.rules import scope_prefix
from kawaltps.api.params import list_params
from kawaltps.elections.models import Election
from kawaltps.people import access_log
from kawaltps.regions.codes import parse_level

from .models import Volunteer
from .privacy import personal_view
from .readiness import LEVELS, readiness

router = Router(tags=["relawan"])


class ReadinessRow(Schema):
    code: str
    name: str
    tps: int
    registered: int
    trained: int
    certified: int
    target: int
    gap: int
    coverage: float


class ReadinessOut(Schema):
    election: str
    saksi_per_tps: int
    total: ReadinessRow
    rows: list[ReadinessRow]


class VolunteerOut(Schema):
    id: int
    name: str
    nik: str
    phone: str
    kelurahan: str
    organisation: str | None
    status: str
    available: bool
    masked: bool


@router.get("/readiness", response=ReadinessOut, summary="Kesiapan saksi per kota/kecamatan/kelurahan")
def readiness_api(request, election: str, level: str = "kecamatan", region: str = ""):
    e = get_object_or_404(Election, slug=election)
    code = region.replace(".", "") or scope_prefix(request.user) or ""
    require(request.user, Action.VIEW_READINESS, code or None)
    try:
        lv = parse_level(level)
    except ValueError as exc:
        raise HttpError(400, str(exc)) from None
    if lv not in LEVELS:
        raise HttpError(400, "tingkat harus kota, kecamatan atau kelurahan")
    data = readiness(e, code, [lv])
    return {"election": e.slug, "saksi_per_tps": data["saksi_per_tps"], "total": data["total"],
            "rows": data["levels"].get(lv.name.lower(), [])}


@router.get("/", response=list[VolunteerOut], summary="Relawan di wilayah Anda (data pribadi disamarkan sesuai peran)")
def volunteers_api(request, region: str = "", status: str = "", limit: int = 100, offset: int = 0):
    """``limit`` 1–500, ``offset`` ≥ 0, ``region`` a code prefix (``api.params.list_params``); else 422."""
    require(request.user, Action.MANAGE_VOLUNTEERS)
    limit, offset, region = list_params(limit, offset, region)
    qs = Volunteer.objects.filter(scope_q(request.user, Action.MANAGE_VOLUNTEERS, "kelurahan__code"))
    if region:
        qs = qs.filter(kelurahan__code__startswith=region)
    if status:
        qs = qs.filter(status=status)
    qs = qs.select_related("organisation").order_by("pk")[offset:offset + limit]
    out, shown = [], []
    for v in qs:
        p = personal_view(request.user, v)
        out.append({"id": v.pk, "name": v.name, "nik": p["nik"], "phone": p["phone"], "kelurahan": v.kelurahan_id,
                    "organisation": str(v.organisation) if v.organisation else None, "status": v.status,
                    "available": v.available_on_election_day, "masked": p["masked"]})
        if not p["masked"]:
            shown.append(v)
    access_log.record(request.user, shown, request.get_full_path())
    return out
