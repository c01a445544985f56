"""Direct photo uploads over HTTP (``uploads.py``), on the results router at ``/api/results/``.

- ``POST /photos/presign`` JSON ``{client_id, election, tps, page}`` → 201 ``{upload, url, method:
  "PUT", expires_at, status: "pending", ...}``; the same ``client_id`` again → 200 with a fresh URL
  (the phone asks again when a URL expired). 422 (Indonesian) when the server has no object
  storage: the phone then uses ``POST /photos``.
- ``POST /photos/uploads/{id}/done`` → 202 with the state (``pending`` while the check runs on a
  worker; ``accepted`` or ``refused`` with ``reason`` once checked).
- ``GET /photos/uploads/{id}`` → the state.

Permissions as ``POST /photos``: the TPS's saksi or a clerk (403 otherwise).
"""

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Schema, Status
from ninja.errors import AuthenticationError

from kawaltps.api.auth import session_auth, token_auth
from kawaltps.elections.models import Election

from . import upload_fastpath, uploads
from .api import _bearer, _invalid, router
from .models import PhotoUpload


class PresignIn(Schema):
    client_id: str
    election: str
    tps: str
    page: int


def _upload(request, upload_id: str) -> PhotoUpload:
    try:
        return uploads.get_upload(request.user, upload_id)
    except (PhotoUpload.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def _authenticate(request, key: str | None) -> None:
    """The ORM path's authentication (the operations are ``auth=None`` so a device's token is read
    once, by the short path): bearer token or session with CSRF, else 401."""
    if not ((token_auth(request) if key else None) or session_auth(request)):
        raise AuthenticationError()


AUTH = {"auth": None, "openapi_extra": {"security": [{"TokenAuth": []}, {"SessionAuth": []}]}}


@router.post("/photos/presign", url_name="presign", response={200: dict, 201: dict, 422: dict},
             summary="Minta URL unggah langsung untuk satu foto (idempoten dengan client_id)", **AUTH)
def post_presign(request, data: PresignIn):
    key = _bearer(request)
    if key and upload_fastpath.available():  # a device: two statements (upload_fastpath.py), same rules
        try:
            fast = upload_fastpath.presign(key, data.election, data.tps, data.page, data.client_id)
        except ValidationError as exc:
            return _invalid(exc)
        if fast is not None:
            upload, signed, created = fast
            return JsonResponse(uploads.answer(upload, signed), status=201 if created else 200)
    _authenticate(request, key)
    election = get_object_or_404(Election, slug=data.election)
    known = PhotoUpload.objects.filter(client_id=data.client_id).exists()
    try:
        upload, signed = uploads.presign(request.user, election, data.tps, data.page, data.client_id)
    except ValidationError as exc:
        return _invalid(exc)
    return Status(200 if known else 201, uploads.answer(upload, signed))


@router.post("/photos/uploads/{upload_id}/done", url_name="upload_done", response={202: dict},
             summary="Foto sudah diunggah: periksa di latar belakang", **AUTH)
def post_done(request, upload_id: str):
    key = _bearer(request)
    if key and upload_fastpath.available():
        upload = upload_fastpath.finish(key, upload_id)
        if upload is not None:
            return JsonResponse(uploads.answer(upload), status=202)
    _authenticate(request, key)
    upload = uploads.finish(request.user, _upload(request, upload_id))
    return Status(202, uploads.answer(upload))


@router.get("/photos/uploads/{upload_id}", response=dict, summary="Status pemeriksaan satu foto")
def get_upload(request, upload_id: str):
    return uploads.answer(_upload(request, upload_id))
