"""Background tasks of results (found by Celery's autodiscovery): the check of a direct upload."""

from .uploads import verify_photo

__all__ = ["verify_photo"]
