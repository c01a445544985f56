"""The one audit writer. Every change that matters (results, D.Hasil, incidents, assignments,
mandates, certificates, volunteer status, roles) is written here, inside the same transaction as the
change itself, into the append-only, hash-chained log (``audit.chain``).

``record_change`` appends one record, ``record_changes`` many (bulk paths: imports, deployment
runs); both take the chain's lock, so callers never build ``ChangeRecord`` rows themselves.
"""

import re
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from . import chain
from .models import ChangeRecord

# A volunteer's login is named by their phone number (deployment.accounts): the log, which can never
# be erased, names such a user by id instead, so no phone number enters it (UU PDP).
_PHONE_USERNAME = re.compile(r"^62\d{8,13}(-\d+)?$")


def actor_name(user) -> str:
    """How the log names ``user``: the username, or ``pengguna #ID`` for a phone-number username."""
    name = user.get_username()
    return f"pengguna #{user.pk}" if _PHONE_USERNAME.match(name) else name


def build(*, user=None, actor: str = "", obj: models.Model | None = None, subject: str = "",
          object_id: str = "", code: str = "", election_slug: str = "", action: str,
          before: dict | None = None, after: dict | None = None, reason: str = "",
          occurred_at=None) -> ChangeRecord:
    """An unsaved record with the writer's defaults (actor from the user, subject from ``obj``)."""
    if obj is not None:
        subject = subject or obj._meta.label
        object_id = object_id or str(obj.pk)
    has_user = getattr(user, "pk", None) is not None
    return ChangeRecord(
        occurred_at=occurred_at or timezone.now(), user_id=user.pk if has_user else None,
        actor=(actor or (actor_name(user) if has_user else "system"))[:150],
        subject=subject, object_id=str(object_id)[:64], code=code or "", election_slug=election_slug or "",
        action=action, before=before, after=after, reason=reason or "",
    )


def record_change(*, user=None, actor: str = "", obj: models.Model | None = None, subject: str = "",
                  object_id: str = "", code: str = "", election_slug: str = "", action: str,
                  before: dict | None = None, after: dict | None = None, reason: str = "",
                  locked: bool = False) -> ChangeRecord:
    """Append one change. ``before``/``after`` hold only JSON-safe values (no personal data).
    ``locked``: this transaction already took the chain's lock (``chain.LOCK_CALL``)."""
    rec = build(user=user, actor=actor, obj=obj, subject=subject, object_id=object_id, code=code,
                election_slug=election_slug, action=action, before=before, after=after, reason=reason)
    return chain.append([rec], locked=locked)[0]


def change_sql(*, user=None, subject: str = "", object_id: str = "", code: str = "", election_slug: str = "",
               action: str, after: dict | None = None) -> tuple[str, list]:
    """:func:`record_change`'s record as one statement and its parameters (``chain.append_sql``: the
    head, the chain's fields and the INSERT), for a caller that sends it in its own transaction,
    which already holds the chain's lock (the device fast path's pipelined write)."""
    return chain.append_sql(build(user=user, subject=subject, object_id=object_id, code=code,
                                  election_slug=election_slug, action=action, after=after))


def record_changes(changes: Iterable[dict[str, Any]]) -> list[ChangeRecord]:
    """Append many changes at once (each a dict of :func:`record_change`'s arguments), in order,
    with one lock and one bulk INSERT per batch."""
    now = timezone.now()
    return chain.append([build(occurred_at=now, **c) for c in changes])


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
