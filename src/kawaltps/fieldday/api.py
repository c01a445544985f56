"""Election-day reports over HTTP at ``/api/fieldday/`` (devices: ``Authorization: Bearer ktps_…``).

``POST checkins``, ``turnout``, ``checklist``, ``incidents`` take JSON with ``client_id``,
``election`` and ``tps`` and call the same ``fieldday.services`` as the pages (``source="api"``):
201 with the stored report, 200 with ``replayed: true`` when the client id was seen before, 403
outside the user's TPS, 422 ``{"detail"}`` for bad input (nothing stored).

Photos and videos: ``POST checkins/photo`` and ``incidents/media`` take the same fields as a
multipart form with the file(s) (``photo``; ``files``, up to 10 photos/videos), through the same
services and so the one evidence store and rules (``kawaltps.evidence``). A retry with the same
client id stores no second file (the stored report answers, 200 ``replayed``).

With object storage an incident's files go straight to it, as the C.Hasil photos
(``evidence.uploads``): ``POST incidents/{id}/evidence/presign`` ``{"client_id"}`` answers a presigned
PUT URL (201; 200 without one once checked), the phone PUTs the bytes, ``POST
incidents/{id}/evidence/done`` ``{"client_id"}`` starts the check (202 pending; 200 accepted or
refused with the reason) — the same rules, store and audit as the multipart path.

On PostgreSQL a device's JSON check-in, checklist answer or incident (bearer token) takes the lean
path of ``fastpath.py`` (one read, one write transaction; the same rules and answers), answered
before ninja by the early route (``early_route``, registered in ``apps.py`` with
``core.fastroutes``) or, when that declines, by the operation; sessions, uploads, turnout and
SQLite take ``services`` directly.
"""

import datetime
import json

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ValidationError as PydanticError

from kawaltps.access import Action
from kawaltps.api.auth import BearerKey, deferred_token_auth, resolve, session_auth
from kawaltps.evidence import uploads as evidence_uploads

from . import fastpath, services
from .incident_evidence import PURPOSE as INCIDENT

router = Router(tags=["hari-h"])


class Base(Schema):
    client_id: str
    election: str
    tps: str
    at: datetime.datetime | None = None


class CheckInIn(Base):
    lat: float | None = None
    lon: float | None = None
    mandate_accepted: bool | None = None


class TurnoutIn(Base):
    voters: str | int
    slot: str | None = None


class ChecklistIn(Base):
    item: str
    answer: str
    note: str = ""


class IncidentIn(Base):
    category: str
    description: str
    occurred_at: datetime.datetime


class ReportOut(Schema):
    id: int
    client_id: str
    tps: str
    replayed: bool
    far: bool | None = None
    distance_m: int | None = None
    psu_trigger: bool | None = None
    psu_deadline: datetime.date | None = None


def _run(request, data: Base, call, action: Action = Action.FIELD_REPORT):
    if isinstance(request.auth, BearerKey):  # a deferred key (the fast path's routes) not taken there
        user = resolve(request)
        if not getattr(user, "is_authenticated", False):
            return user  # the 401 of the token/session check
    try:
        tps = services.tps_of(request.auth, data.election, data.tps, action)  # one query: election and TPS
        row, created = call(request.auth, tps)
    except ValidationError as exc:
        return Status(422, {"detail": " ".join(exc.messages)})
    body = {"id": row.pk, "client_id": str(row.client_id), "tps": row.tps_code, "replayed": not created,
            "far": getattr(row, "far", None), "distance_m": getattr(row, "distance_m", None),
            "psu_trigger": getattr(row, "psu_trigger", None), "psu_deadline": getattr(row, "psu_deadline", None)}
    return Status(201 if created else 200, body)


def _answer(request, key: str, data: Base, kind: str, fields: dict) -> HttpResponse | None:
    """The fast path's answer to bearer ``key`` (PostgreSQL), or None: an unknown, revoked or expired
    key, which ``_run`` answers as the token check does. Both doors call it: the operation below
    (``_fast``) and the early route (:func:`early_route`)."""
    try:
        answer = fastpath.report(kind, key, data.election, data.tps, data.client_id, **fields)
    except ValidationError as exc:
        from kawaltps.api.api import api

        return api.create_response(request, {"detail": " ".join(exc.messages)}, status=422)
    if answer is None:
        return None
    return JsonResponse(answer.body(), status=200 if answer.replayed else 201,
                        content_type="application/json; charset=utf-8")


def _fast(request, data: Base, kind: str, **fields):
    """The fast path's answer (PostgreSQL, a bearer key), or None to take ``_run``."""
    if not (isinstance(request.auth, BearerKey) and fastpath.available()):
        return None
    return _answer(request, request.auth, data, kind, fields)


def _now(at):
    return at or datetime.datetime.now(datetime.UTC)


RESPONSES = {200: ReportOut, 201: ReportOut, 422: dict}
FAST_AUTH = [deferred_token_auth, session_auth]  # the same checks as the API's default, the token's deferred


def _report(request, data: Base, kind: str, service, fields: dict, action: Action = Action.FIELD_REPORT):
    """The fast path, else ``service(user, tps, **fields)`` through :func:`_run`: one set of arguments."""
    return _fast(request, data, kind, **fields) or _run(request, data, lambda user, tps: service(
        user, tps, **fields, client_id=data.client_id, source="api"), action)


def _checkin_fields(data: CheckInIn) -> dict:
    return {"at": _now(data.at), "lat": data.lat, "lon": data.lon, "mandate_accepted": data.mandate_accepted}


def _checklist_fields(data: ChecklistIn) -> dict:
    return {"item_key": data.item, "answer": data.answer, "note": data.note, "at": _now(data.at)}


def _incident_fields(data: IncidentIn) -> dict:
    return {"category_key": data.category, "description": data.description, "occurred_at": data.occurred_at}


# path under /api/fieldday/ → (fast path kind, body schema, the service's arguments from the body)
FAST = {"checkins": ("checkin", CheckInIn, _checkin_fields), "checklist": ("checklist", ChecklistIn, _checklist_fields),
        "incidents": ("incident", IncidentIn, _incident_fields)}


@router.post("/checkins", response=RESPONSES, auth=FAST_AUTH,
             summary="Check-in saksi di TPS (idempoten dengan client_id)")
def post_checkin(request, data: CheckInIn):
    return _report(request, data, "checkin", services.check_in, _checkin_fields(data))


@router.post("/turnout", response=RESPONSES, summary="Kehadiran pemilih pada jam laporan")
def post_turnout(request, data: TurnoutIn):
    return _run(request, data, lambda user, tps: services.record_turnout(
        user, tps, at=_now(data.at), voters=str(data.voters), slot=data.slot, client_id=data.client_id,
        source="api"))


@router.post("/checklist", response=RESPONSES, auth=FAST_AUTH, summary="Jawaban satu butir daftar periksa")
def post_checklist(request, data: ChecklistIn):
    return _report(request, data, "checklist", services.answer_checklist, _checklist_fields(data))


@router.post("/incidents", response=RESPONSES, auth=FAST_AUTH, summary="Laporan kejadian (kecurangan/keberatan)")
def post_incident(request, data: IncidentIn):
    return _report(request, data, "incident", services.report_incident, _incident_fields(data),
                   Action.REPORT_INCIDENT)


def early_route(path: str):
    """The early route (``core.fastroutes``) of ``POST /api/fieldday/<path>``: the operation's answer
    for a bearer key on PostgreSQL, None (the whole stack) for anything it does not own: no bearer
    key, a body the schema refuses (ninja's 422 after the token check), an unknown/revoked/expired
    key (the token check's 401)."""
    kind, schema, fields_of = FAST[path]

    def handle(request):
        if not fastpath.available():
            return None
        parts = request.META.get("HTTP_AUTHORIZATION", "").split(" ")  # as ninja's HttpBearer reads it
        key = " ".join(parts[1:])
        if parts[0].lower() != "bearer" or not key:
            return None
        try:
            data = schema.model_validate(json.loads(request.body))
        except (ValueError, TypeError, PydanticError, RequestDataTooBig):
            return None
        request.auth = BearerKey(key)
        try:
            return _answer(request, key, data, kind, fields_of(data))
        except (Http404, PermissionDenied) as exc:  # the API's own answers (404, 403 in Indonesian)
            from kawaltps.api.api import api

            return api.on_exception(request, exc)

    return handle


@router.post("/checkins/photo", response=RESPONSES, summary="Check-in saksi dengan foto (multipart)")
def post_checkin_photo(request, data: Form[CheckInIn], photo: File[UploadedFile]):
    return _run(request, data, lambda user, tps: services.check_in(
        user, tps, at=_now(data.at), lat=data.lat, lon=data.lon, mandate_accepted=data.mandate_accepted,
        photo=photo, client_id=data.client_id, source="api"))


@router.post("/incidents/media", response=RESPONSES, summary="Laporan kejadian dengan foto/video (multipart)")
def post_incident_media(request, data: Form[IncidentIn], files: File[list[UploadedFile]]):
    return _run(request, data, lambda user, tps: services.report_incident(
        user, tps, category_key=data.category, description=data.description, occurred_at=data.occurred_at,
        files=files, client_id=data.client_id, source="api"), Action.REPORT_INCIDENT)


class EvidenceIn(Schema):
    client_id: str


def _evidence(call):
    try:
        return call()
    except ValidationError as exc:
        return Status(422, {"detail": " ".join(exc.messages)})


@router.post("/incidents/{incident_id}/evidence/presign", response={200: dict, 201: dict, 422: dict},
             summary="Alamat unggah langsung untuk foto/video bukti kejadian")
def presign_incident_evidence(request, incident_id: int, data: EvidenceIn):
    def call():
        upload, signed = evidence_uploads.presign(request.auth, INCIDENT, incident_id, data.client_id)
        return Status(201 if signed else 200, evidence_uploads.answer(upload, signed))

    return _evidence(call)


@router.post("/incidents/{incident_id}/evidence/done", response={200: dict, 202: dict, 422: dict},
             summary="Foto/video bukti kejadian sudah diunggah: periksa")
def finish_incident_evidence(request, incident_id: int, data: EvidenceIn):
    def call():
        upload = evidence_uploads.get_upload(request.auth, INCIDENT, incident_id, data.client_id)
        upload = evidence_uploads.finish(request.auth, upload)
        return Status(202 if upload.status == "pending" else 200, evidence_uploads.answer(upload))

    return _evidence(call)
