"""The HTTP API at ``/api/`` (OpenAPI docs at ``/api/docs``).

Every endpoint asks :mod:`kawaltps.access` the same questions the pages ask. Capability apps with
an ``api`` module exposing ``router`` are mounted at ``/api/<app>/``.
"""

import importlib

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from kawaltps.core.throttle import Throttled

from .auth import BearerKey, resolve, session_auth, token_auth
from .core import router as core_router
from .docs import LocalSwagger

api = NinjaAPI(title="Kawal TPS API", version="1", auth=[token_auth, session_auth], urls_namespace="api",
               docs_url="/docs", docs=LocalSwagger())


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Tidak berwenang."}, status=403)


@api.exception_handler(Throttled)
def throttled(request, exc):
    response = api.create_response(request, {"detail": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


# Pydantic's English messages, said in the user's language (the error's type and place are kept).
VALIDATION_MESSAGES = {
    "missing": "wajib diisi",
    "int_parsing": "harus berupa bilangan bulat",
    "int_type": "harus berupa bilangan bulat",
    "float_parsing": "harus berupa angka",
    "string_type": "harus berupa teks",
    "bool_parsing": "harus ya atau tidak",
    "json_invalid": "bukan JSON yang sah",
    "too_long": "terlalu panjang",
    "string_too_long": "terlalu panjang",
}


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    if isinstance(getattr(request, "auth", None), BearerKey):  # a deferred key: who asks comes first (401)
        who = resolve(request)
        if not getattr(who, "is_authenticated", False):
            return who
    errors = []
    for e in exc.errors:
        where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path", "payload"))
        text = VALIDATION_MESSAGES.get(e.get("type"), "nilai tidak sah")
        errors.append({**{k: v for k, v in e.items() if k in ("type", "loc")},
                       "msg": f"{where}: {_(text)}" if where else _(text)})
    return api.create_response(request, {"detail": errors}, status=422)


api.add_router("/", core_router)

for app in ("results", "recap", "volunteers", "training", "deployment", "analytics", "fieldday"):
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
