"""Early routes (``core.fastroutes``) of a device's ``POST /api/results/submissions`` and
``POST /api/results/photos/presign``: answered before URL resolution, ninja and the
session/auth/CSRF middleware, exactly as the operations answer (issue 15).

Each handler returns None — the request then takes the whole stack unchanged — for what it does
not own: SQLite, no bearer key, a body the operation's schema refuses (ninja's 422), an
attestation (the ORM path), an unknown, revoked or expired key (the token check's 401), or a race
the short path is unsure of. Permission (``kawaltps.access``), validation and idempotency are the
short paths' own (``fastpath.py``, ``upload_fastpath.py``, ``upload_slots.py``).
"""

import json

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from . import fastpath, upload_fastpath, uploads

PATHS = ("/api/results/submissions", "/api/results/photos/presign")


def _key(request: HttpRequest) -> str | None:
    parts = request.META.get("HTTP_AUTHORIZATION", "").split(" ")  # as ninja's HttpBearer reads it
    key = " ".join(parts[1:])
    return key if parts[0].lower() == "bearer" and key else None


def _body(request: HttpRequest, schema):
    from pydantic import ValidationError as PydanticError  # not at start-up: a command never needs it

    try:
        return schema.model_validate(json.loads(request.body))
    except (ValueError, TypeError, PydanticError, RequestDataTooBig):
        return None


def _errors(request: HttpRequest, call) -> HttpResponse | None:
    """The operation's answers to a refusal: 422 with ``errors`` (as ``api._invalid``), 403, 404."""
    from kawaltps.api.api import api

    from .api import _invalid

    try:
        return call()
    except ValidationError as exc:
        status = _invalid(exc)
        return api.create_response(request, status.value, status=status.status_code)
    except (Http404, PermissionDenied) as exc:
        return api.on_exception(request, exc)


def submission(request: HttpRequest) -> HttpResponse | None:
    from .api import SubmissionIn, fast_submission

    key = _key(request) if fastpath.available() else None
    data = _body(request, SubmissionIn) if key else None
    if data is None or data.attestation:
        return None
    return _errors(request, lambda: fast_submission(key, data))


def presign(request: HttpRequest) -> HttpResponse | None:
    from .api_uploads import PresignIn

    key = _key(request) if upload_fastpath.available() else None
    data = _body(request, PresignIn) if key else None
    if data is None:
        return None

    def call():
        fast = upload_fastpath.presign(key, data.election, data.tps, data.page, data.client_id)
        if fast is None:
            return None
        upload, signed, created = fast
        return JsonResponse(uploads.answer(upload, signed), status=201 if created else 200)

    return _errors(request, call)


def register() -> None:
    from kawaltps.core import fastroutes

    fastroutes.register("POST", PATHS[0], submission)
    fastroutes.register("POST", PATHS[1], presign)
