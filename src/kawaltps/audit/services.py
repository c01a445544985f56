"""Write the history. Call inside the same transaction as the change itself."""

from django.db import models

from .models import ChangeRecord


def record_change(*, user=None, actor: str = "", obj: models.Model | None = None, subject: str = "",
                  object_id: str = "", code: str = "", election_slug: str = "", action: str,
                  before: dict | None = None, after: dict | None = None, reason: str = "") -> ChangeRecord:
    """Append one change. ``before``/``after`` hold only JSON-safe values (no personal data)."""
    if obj is not None:
        subject = subject or obj._meta.label
        object_id = object_id or str(obj.pk)
    return ChangeRecord.objects.create(
        user=user if getattr(user, "pk", None) else None,
        actor=actor or (user.get_username() if getattr(user, "pk", None) else "system"),
        subject=subject, object_id=object_id, code=code, election_slug=election_slug, action=action,
        before=before, after=after, reason=reason,
    )


def history(code: str | None = None, *, subject: str | None = None, object_id: str | None = None):
    """Records for a code (and everything under it), or for one object, oldest first."""
    qs = ChangeRecord.objects.all()
    if code:
        qs = qs.filter(code__startswith=code)
    if subject:
        qs = qs.filter(subject=subject)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs
