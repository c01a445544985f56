"""Reads of dashboards, tabulation pages and public pages go to a PostgreSQL streaming replica.

Configured by ``DATABASE_REPLICA_URL`` (settings add the alias ``replica``); without it everything
uses ``default`` and nothing here changes behaviour.

Rules:

- only GET/HEAD requests to the views named in :data:`REPLICA_VIEWS` read from the replica
  (:class:`ReplicaMiddleware` marks the request; ORM reads follow :class:`ReplicaRouter`, raw SQL
  reads ask :func:`read_alias`);
- every write goes to the primary, always (``db_for_write``); a replica refuses writes anyway;
- read-your-own-write stays on the primary: sessions, users and tokens (a user who just logged in
  must be found), jobs (a job just enqueued), and every view not listed (forms, queues, the API,
  a TPS's own page after a submission);
- the replica may be behind by its lag (``bench/replica_lag.py``): the listed pages are totals that
  refresh every few seconds, so a lag of milliseconds is invisible there.
"""

import contextvars
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"

# URL names (namespace:name) whose GET reads may come from the replica.
REPLICA_VIEWS = frozenset({
    "results:dashboard", "results:dashboard_region", "results:dashboard_json",  # /hasil/ dashboards
    "regions:browse", "regions:region", "regions:tps",                          # public region pages
    "analytics:quickcount", "analytics:forensics", "analytics:plot",            # analysis pages
    "recap:public_key",                                                         # public key page
})
# Apps whose rows a request may have just written itself: always read on the primary.
PRIMARY_APPS = frozenset({"sessions", "people", "auth", "contenttypes", "jobs", "audit", "admin"})

_reading_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("kawaltps_replica", default=False)


def configured() -> bool:
    return REPLICA in settings.DATABASES


def read_alias(model=None) -> str:
    """The database alias a read should use now (``replica`` inside a replica view, else ``default``)."""
    if not (configured() and _reading_replica.get()):
        return "default"
    if model is not None and model._meta.app_label in PRIMARY_APPS:
        return "default"
    return REPLICA


@contextmanager
def replica_reads():
    """Within the block, reads go to the replica (when one is configured)."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


class ReplicaRouter:
    """Django database router: reads per :func:`read_alias`, writes and migrations on ``default``."""

    def db_for_read(self, model, **hints) -> str:
        return read_alias(model)

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, **hints) -> bool:
        return db == "default"


class ReplicaMiddleware:
    """Marks GET/HEAD requests to :data:`REPLICA_VIEWS` so their reads use the replica."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _reading_replica.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in ("GET", "HEAD") and configured() and request.resolver_match \
                and request.resolver_match.view_name in REPLICA_VIEWS:
            token = _reading_replica.set(True)
            request._replica_token = token
        return None
