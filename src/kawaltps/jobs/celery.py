"""The Celery application, configured from Django settings (``CELERY_*``).

Workers: ``kawaltps worker`` (or ``celery -A kawaltps.jobs.celery worker``).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawaltps.settings")

app = Celery("kawaltps")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="tasks")
