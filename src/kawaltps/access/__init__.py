"""The one place that answers "may this user do this on this region or TPS?".

Every view, API endpoint and command asks :func:`may` (or :func:`require`, or filters a queryset
with :func:`scope_q`). Rules: :mod:`kawaltps.access.rules`. Who may see a result's numbers in which state:
:mod:`kawaltps.access.visibility`.
"""

from .rules import ACTION_LABELS, ROLE_ACTIONS, Action, may, require, scope_prefix, scope_q
from .visibility import (
    may_see_numbers,
    may_see_region_numbers,
    may_see_result,
    visible_numbers_q,
    visible_states,
)

__all__ = ["ACTION_LABELS", "ROLE_ACTIONS", "Action", "may", "may_see_numbers", "may_see_region_numbers",
           "may_see_result", "require", "scope_prefix", "scope_q", "visible_numbers_q", "visible_states"]
