"""The HTTP API at ``/api/`` (OpenAPI docs at ``/api/docs``).

Every endpoint asks :mod:`kawaltps.access` the same questions the pages ask. Capability apps with
an ``api`` module exposing ``router`` are mounted at ``/api/<app>/``.
"""

import importlib

from django.conf import settings
from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI

from .auth import session_auth, token_auth
from .core import router as core_router

api = NinjaAPI(title="Kawal TPS API", version="1", auth=[token_auth, session_auth], urls_namespace="api",
               docs_url="/docs")


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Tidak berwenang."}, status=403)


api.add_router("/", core_router)

for app in ("results", "recap", "volunteers", "training", "deployment"):
    if f"kawaltps.{app}" not in settings.INSTALLED_APPS:
        continue
    name = f"kawaltps.{app}.api"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        continue
    api.add_router(f"/{app}/", module.router)
