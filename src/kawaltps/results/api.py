"""Result capture over HTTP at ``/api/results/`` (devices: ``Authorization: Bearer ktps_…``).

- ``POST /api/results/submissions`` JSON ``{client_id, election, tps, kind?, votes, numbers,
  attestation?}`` (``attestation``: signatures, keberatan, salinan, see ``results.attestation``) →
  201 with the submission (200 with ``replayed: true`` when the ``client_id`` was seen before).
  ``kind`` defaults to ``saksi`` for a saksi and ``clerk`` (first or blind second entry) otherwise.
- ``POST /api/results/photos`` multipart ``election``, ``tps``, ``page``, ``file``, ``document?``
  (``salinan`` default, ``plano``, ``keberatan``, ``daftar_hadir``) → 201 with the photo.
- ``GET /api/results/{election}/tps/{code}`` → the TPS's current result; numbers (votes, numbers,
  valid, invalid, total) are null unless ``access.may_see_result`` allows them in the current state
  (clerks, who enter blind, may not read results at all: 403).

The same permission answers as the pages (403 with an Indonesian ``detail``); bad input is 422
with ``{"detail": ..., "errors": {field: [messages]}}`` and changes nothing.
"""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.files import UploadedFile

from kawaltps.access import Action, may_see_result, require
from kawaltps.api.auth import session_auth, token_auth
from kawaltps.elections.models import Election
from kawaltps.people.models import Role

from . import fastpath, services, upload_slots
from .checks import message
from .forms import error_dict
from .models import TpsResult

router = Router(tags=["hasil"])


class PhotoSlotIn(Schema):
    client_id: str
    page: int | str


class SubmissionIn(Schema):
    client_id: str
    election: str
    tps: str
    kind: str | None = None
    votes: dict
    numbers: dict = {}
    note: str = ""
    attestation: dict = {}
    photos: list[PhotoSlotIn] = []  # upload slots answered in ``uploads`` (upload_slots.py)


class FlagOut(Schema):
    code: str
    message: str


class SubmissionOut(Schema):
    id: int
    client_id: str
    tps: str
    kind: str
    state: str
    flags: list[FlagOut]
    replayed: bool


class PhotoOut(Schema):
    id: int
    tps: str
    page: int
    document: str
    sha256: str
    size: int
    content_type: str
    state: str
    flags: list[str]


class ResultOut(Schema):
    election: str
    tps: str
    state: str
    votes: dict | None
    numbers: dict | None
    valid: int | None
    invalid: int | None
    total: int | None
    flags: list[FlagOut]
    version: int
    photos: list[int]
    attestation: dict | None
    documents: dict[str, list[int]]


def _invalid(exc: ValidationError) -> Status:
    errors = error_dict(exc)
    return Status(422, {"detail": " ".join(m for ms in errors.values() for m in ms), "errors": errors})


def _flags(codes) -> list[dict]:
    return [{"code": c, "message": message(c)} for c in codes]


def _bearer(request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    return key.strip() if scheme.lower() == "bearer" and key.strip() else None


def fast_submission(key: str, data: SubmissionIn) -> JsonResponse | None:
    """A bearer key's submission on PostgreSQL (``fastpath.py``) with its upload slots
    (``upload_slots.py``), or None (unknown key: the token check answers). Raises ``ValidationError``,
    ``PermissionDenied``, ``Http404``; then nothing is stored. Used by the operation and the early route."""
    code = str(data.tps).replace(".", "")
    seen: dict = {}

    def prepare(user, election):
        seen.update(user=user, election=election, slots=upload_slots.check(user, election, code, data.photos))

    answer = fastpath.submit(key, data.election, data.tps, data.kind, data.votes, data.numbers,
                             data.client_id, note=data.note, prepare=prepare)
    if answer is None:
        return None
    body = {"id": answer.id, "client_id": answer.client_id, "tps": answer.tps, "kind": answer.kind,
            "state": answer.state, "flags": _flags(answer.flags), "replayed": answer.replayed}
    if seen["slots"]:
        body["uploads"] = upload_slots.fast_slots(seen["user"], seen["election"], answer.tps, seen["slots"])
    return JsonResponse(body, status=200 if answer.replayed else 201)  # the documented SubmissionOut


@router.post("/submissions", auth=None, response={200: SubmissionOut, 201: SubmissionOut, 422: dict},
             summary="Kirim C.Hasil satu TPS (idempoten dengan client_id)",
             openapi_extra={"security": [{"TokenAuth": []}, {"SessionAuth": []}]})
def post_submission(request, data: SubmissionIn):
    """Bearer token or session (with CSRF). On PostgreSQL a token's submission takes the two-statement
    path of ``fastpath.py`` (answered before ninja by the early route, ``early.py``); otherwise
    ``services.submit`` (same rules, same answers). ``photos`` → ``uploads`` (``upload_slots.py``)."""
    key = _bearer(request)
    if key and fastpath.available() and not data.attestation:
        try:
            fast = fast_submission(key, data)
        except ValidationError as exc:
            return _invalid(exc)
        if fast is not None:
            return fast
    user = (token_auth(request) if key else None) or session_auth(request)
    if not user:
        raise AuthenticationError()
    election = get_object_or_404(Election, slug=data.election)
    kind = data.kind or ("saksi" if user.role == Role.SAKSI else "clerk_first")
    if kind == "clerk":
        kind = "clerk_first"
    code = str(data.tps).replace(".", "")
    try:
        slots = upload_slots.check(user, election, code, data.photos)
        sub = services.submit(user, election, data.tps, kind, data.votes, data.numbers, data.client_id,
                              note=data.note, attestation=data.attestation)
    except ValidationError as exc:
        return _invalid(exc)
    result = sub.result  # the locked row as written (or the replayed row): no second read
    body = {"id": sub.pk, "client_id": sub.client_id, "tps": result.code, "kind": sub.kind, "state": result.state,
            "flags": _flags(sub.flags), "replayed": sub.replayed}
    if not slots:
        return Status(200 if sub.replayed else 201, body)
    body["uploads"] = upload_slots.orm_slots(user, election, result.code, slots)
    return JsonResponse(body, status=200 if sub.replayed else 201)


@router.post("/photos", response={201: PhotoOut, 422: dict}, summary="Unggah foto satu halaman C.Hasil")
def post_photo(request, election: Form[str], tps: Form[str], page: Form[int], file: File[UploadedFile],
               document: Form[str] = "salinan"):
    e = get_object_or_404(Election, slug=election)
    try:
        photo = services.add_photo(request.user, e, tps, page, file, document=document)
    except ValidationError as exc:
        return _invalid(exc)
    result = TpsResult.objects.get(pk=photo.result_id)
    return Status(201, {"id": photo.pk, "tps": result.code, "page": photo.page, "document": photo.document,
                        "sha256": photo.sha256,
                        "size": photo.size, "content_type": photo.content_type, "state": result.state,
                        "flags": result.flags})


@router.get("/{election}/tps/{code}", response=ResultOut, summary="Hasil terkini satu TPS")
def get_result(request, election: str, code: str):
    require(request.user, Action.VIEW_RESULTS, code)
    result = get_object_or_404(TpsResult, election__slug=election, code=code, source="witness")
    hidden = not may_see_result(request.user, result)
    documents: dict[str, list[int]] = {}
    for pk, document in result.photos.values_list("pk", "document"):
        documents.setdefault(document, []).append(pk)
    return {"election": election, "tps": code, "state": result.state,
            "votes": None if hidden else result.votes, "numbers": None if hidden else result.numbers,
            "valid": None if hidden else result.valid, "invalid": None if hidden else result.invalid,
            "total": None if hidden else result.total, "flags": _flags(result.flags), "version": result.version,
            "photos": list(result.photos.values_list("pk", flat=True)),
            "attestation": None if hidden else result.attestation, "documents": documents}


from . import api_uploads  # noqa: E402,F401  (adds the direct-upload endpoints to this router)
