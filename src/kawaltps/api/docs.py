"""The ``/api/docs`` page: ninja's Swagger UI template (``ninja/swagger.html``, our own static files),
rendered through Django's template loaders (ninja's package folder is in ``settings.TEMPLATES`` DIRS) — never the
CDN template ninja falls back to when ``ninja`` itself is not in ``INSTALLED_APPS``."""

import json

from django.shortcuts import render
from ninja.openapi.docs import Swagger, _csrf_needed


class LocalSwagger(Swagger):
    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings, indent=1), "api": api,
                   "add_csrf": _csrf_needed(api)}
        return render(request, self.template, context)
