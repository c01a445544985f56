"""The OpenAPI docs' Swagger UI from our own static files (never a CDN), without loading ninja at start-up.

django-ninja ships the Swagger UI's files and template in its package; listing ``ninja`` itself in
``INSTALLED_APPS`` would import all of ninja and pydantic in every process, also in commands that
never serve the API (≈ 0.15 s of ``kawaltps discrepancies``, issue 11.9). :class:`SwaggerFilesConfig`
is an app whose folder is ninja's package folder (found without importing it), so the static-files
finder and the template loader see ``ninja/static`` and ``ninja/templates`` as before.
``kawaltps.api.docs.LocalSwagger`` renders ninja's own (non-CDN) template through Django's loaders,
which ninja itself does only when the literal ``"ninja"`` is in ``INSTALLED_APPS``.
"""

from importlib.util import find_spec
from pathlib import Path

from django.apps import AppConfig


class SwaggerFilesConfig(AppConfig):
    name = "kawaltps.api.swagger_files"
    label = "ninja_files"
    verbose_name = "django-ninja static files"
    path = str(Path(find_spec("ninja").origin).parent)

