"""Background jobs of the evidence store: the check of a directly uploaded file (``uploads``)."""

from .uploads import verify_upload

__all__ = ["verify_upload"]
