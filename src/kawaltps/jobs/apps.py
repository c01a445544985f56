from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "kawaltps.jobs"
    verbose_name = "Tugas latar belakang"

    def ready(self):
        from . import celery  # noqa: F401  (binds @shared_task to the configured app)
