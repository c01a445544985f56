"""URLs. Each capability app with a ``urls`` module is mounted at its own prefix."""

import importlib

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from kawaltps.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("wilayah/", include("kawaltps.regions.urls")),
    path("akun/", include("kawaltps.people.urls")),
    path("", include("kawaltps.core.urls")),
]

# Capability apps: mounted at /<prefix>/ when installed.
APP_PREFIXES = {"results": "hasil", "recap": "rekap", "volunteers": "relawan", "training": "bimtek",
                "deployment": "penugasan", "analytics": "analitik", "fieldday": "hari-h",
                "messaging": "pesan", "jobs": "tugas", "legal": "hukum", "maps": "peta"}
for app, prefix in APP_PREFIXES.items():
    module = f"kawaltps.{app}.urls"
    if f"kawaltps.{app}" in settings.INSTALLED_APPS:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        urlpatterns.insert(-1, path(f"{prefix}/", include(module)))

handler403 = "kawaltps.core.views.permission_denied"
handler404 = "kawaltps.core.views.page_not_found"
handler500 = "kawaltps.core.views.server_error"
