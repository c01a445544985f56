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
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Schema, Status

from kawaltps.elections.models import Election

from . import uploads
from .api import _invalid, router
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


@router.post("/photos/presign", url_name="presign", response={200: dict, 201: dict, 422: dict},
             summary="Minta URL unggah langsung untuk satu foto (idempoten dengan client_id)")
def post_presign(request, data: PresignIn):
    election = get_object_or_404(Election, slug=data.election)
    known = PhotoUpload.objects.filter(client_id=data.client_id).exists()
    try:
        upload, signed = uploads.presign(request.user, election, data.tps, data.page, data.client_id)
    except ValidationError as exc:
        return _invalid(exc)
    return Status(200 if known else 201, uploads.answer(upload, signed))


@router.post("/photos/uploads/{upload_id}/done", url_name="upload_done", response={202: dict},
             summary="Foto sudah diunggah: periksa di latar belakang")
def post_done(request, upload_id: str):
    upload = uploads.finish(request.user, _upload(request, upload_id))
    return Status(202, uploads.answer(upload))


@router.get("/photos/uploads/{upload_id}", response=dict, summary="Status pemeriksaan satu foto")
def get_upload(request, upload_id: str):
    return uploads.answer(_upload(request, upload_id))
