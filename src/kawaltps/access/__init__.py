"""The one place that answers "may this user do this on this region or TPS?".

Every view, API endpoint and command asks :func:`may` (or :func:`require`, or filters a queryset
with :func:`scope_q`). Rules: :mod:`kawaltps.access.rules`.
"""

from .rules import ACTION_LABELS, ROLE_ACTIONS, Action, may, require, scope_prefix, scope_q

__all__ = ["ACTION_LABELS", "ROLE_ACTIONS", "Action", "may", "require", "scope_prefix", "scope_q"]
