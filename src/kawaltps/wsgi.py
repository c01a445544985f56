"""WSGI entry point: ``gunicorn kawaltps.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawaltps.settings")
application = get_wsgi_application()
