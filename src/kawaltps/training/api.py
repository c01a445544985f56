"""Bimtek API at /api/training/: sessions, attendance scanning from a device, certificate check."""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from kawaltps.access import Action
from kawaltps.api.params import list_params
from kawaltps.core import throttle

from . import certificates, services
from .models import Session

router = Router(tags=["bimtek"])


class SessionOut(Schema):
    id: int
    title: str
    date: str
    start_time: str
    end_time: str
    place: str
    region: str
    trainer: str
    organisation: str | None
    capacity: int
    enrolled: int
    attended: int
    pass_score: int


class ScanIn(Schema):
    token: str


class ScanOut(Schema):
    enrolment: int
    name: str
    newly_recorded: bool


class VerifyOut(Schema):
    status: str
    masked_name: str
    number: str
    session: str
    date: str | None


def _out(s: Session) -> dict:
    return {"id": s.pk, "title": s.title or str(s), "date": s.date.isoformat(), "start_time": s.start_time.isoformat(),
            "end_time": s.end_time.isoformat(), "place": s.place, "region": s.region_id,
            "trainer": s.trainer.username, "organisation": str(s.organisation) if s.organisation else None,
            "capacity": s.capacity, "enrolled": s.enrolments.count(),
            "attended": s.enrolments.filter(attended_at__isnull=False).count(), "pass_score": s.pass_score}


@router.get("/sessions", response=list[SessionOut], summary="Sesi Bimtek di wilayah Anda")
def sessions(request, region: str = "", limit: int = 100, offset: int = 0):
    """``limit`` 1–500, ``offset`` ≥ 0, ``region`` a code prefix (``api.params.list_params``); else 422."""
    from kawaltps.access import require

    require(request.user, Action.MANAGE_TRAINING)  # as the page does: 403, not an empty list
    limit, offset, region = list_params(limit, offset, region)
    qs = services.sessions_for(request.user).select_related("region", "trainer", "organisation")
    if region:
        qs = qs.filter(region__code__startswith=region)
    return [_out(s) for s in qs.order_by("-date", "pk")[offset:offset + limit]]


@router.post("/sessions/{session_id}/scan", response=ScanOut, summary="Pelatih memindai kode QR relawan")
def scan(request, session_id: int, data: ScanIn):
    session = get_object_or_404(Session, pk=session_id)
    from kawaltps.access import require

    require(request.user, Action.RECORD_ATTENDANCE, session.region_id)
    try:
        enrolment, new = services.scan_volunteer(request.user, session, data.token)
    except services.TrainingError as exc:
        raise HttpError(400, str(exc)) from None
    return {"enrolment": enrolment.pk, "name": enrolment.volunteer.name, "newly_recorded": new}


@router.get("/certificates/{code}", auth=None, response=VerifyOut, summary="Periksa keaslian sertifikat (publik)")
def verify(request, code: str):
    throttle.attempt("certificate", request)  # the same limit as the public check page
    r = certificates.verify(code)
    return {"status": r.status, "masked_name": r.masked_name, "number": r.number, "session": r.session,
            "date": r.date.isoformat() if r.date else None}
