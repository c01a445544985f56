"""Deployment API at /api/deployment/: coverage for coordinators, "my assignment" for a saksi's device,
and the public mandate check."""

from ninja import Router, Schema
from ninja.errors import HttpError

from kawaltps.access import Action, require
from kawaltps.elections.models import Election
from kawaltps.volunteers.models import Volunteer

from . import mandates, reports
from .models import Assignment, Mandate

router = Router(tags=["penugasan"])


class CoverageOut(Schema):
    election: str
    region: str
    tps: int
    full: int
    with_backup: int
    none: int
    gaps: int


class PostOut(Schema):
    election: str
    tps_code: str
    kind: str
    address: str
    mandate_number: str | None
    mandate_valid: bool


class CheckOut(Schema):
    status: str
    masked_name: str
    masked_nik: str
    place: str


@router.get("/coverage", response=CoverageOut)
def coverage(request, election: str, region: str = ""):
    """Coverage of a region (needs MANAGE_DEPLOYMENT there)."""
    e = Election.objects.filter(slug=election).first()
    if e is None:
        raise HttpError(404, "Pemilihan tidak ada.")
    require(request.auth, Action.MANAGE_DEPLOYMENT, region or None)
    return {"election": e.slug, "region": region, **reports.summary(reports.tps_status(e, region))}


@router.get("/mine", response=list[PostOut])
def mine(request):
    """The logged-in volunteer's active assignments."""
    v = Volunteer.objects.filter(user=request.auth).first()
    if v is None:
        raise HttpError(403, "Akun ini tidak terhubung dengan data relawan.")
    out = []
    for a in Assignment.objects.filter(volunteer=v, status=Assignment.Status.ACTIVE).select_related("tps", "election"):
        m = Mandate.objects.filter(assignment=a).order_by("-issued_at").first()
        out.append({"election": a.election.slug, "tps_code": a.tps_code, "kind": a.kind, "address": a.tps.address,
                    "mandate_number": m.number if m else None,
                    "mandate_valid": bool(m and m.status == Mandate.Status.VALID)})
    return out


@router.get("/check/{code}", response=CheckOut, auth=None)
def check(request, code: str):
    """Public: is this mandate valid? (masked name and NIK only)"""
    v = mandates.verify(code)
    return {"status": v.status, "masked_name": v.masked_name, "masked_nik": v.masked_nik, "place": v.place}
