"""Who may see a C.Hasil's numbers, in which state: the one rule every page, JSON, API and export asks.

The rule (blind double entry, ``docs/results-capture.md``; defects issue #8 item 2)::

    numbers of a TPS result in state S at code C are shown to user U when
        U may VIEW_RESULTS at C                            (role and scope: rules.py)
        and not (S == entered                              (waiting for its blind second entry)
                 and U may ENTER_RESULT somewhere in C     (U could be that second clerk)
                 and U may not RECONCILE_RESULT at C)      (a supervisor decides, so sees)

A region's totals sum the numbers of every TPS under it in every counted state, so they are shown
only to a user who may see the numbers of every state there (:func:`may_see_region_numbers`): a
total that includes an entered TPS would leak it. Clerks enter results and do not read them (no
``VIEW_RESULTS``): they get neither the dashboard, nor ``/hasil/data.json``, nor the results API.

States are plain strings here (``results.models.State`` values) so that ``access`` depends on no app.
"""

from django.db.models import Q

from .rules import Action, may, scope_prefix

#: States whose numbers count in totals (``results.tally.ENTERED``).
NUMBER_STATES: frozenset[str] = frozenset({"entered", "verified", "disputed", "final", "official"})
#: States in which the numbers wait for a blind second entry.
BLIND_STATES: frozenset[str] = frozenset({"entered"})
ALL_STATES: frozenset[str] = NUMBER_STATES | {"received"}


def _code(target) -> str:
    if isinstance(target, str):
        return target.replace(".", "")
    return getattr(target, "code", "") or ""


def _may_enter_within(user, code: str) -> bool:
    """True if ``user`` may enter results at ``code`` or at any TPS under it (a region code)."""
    if may(user, Action.ENTER_RESULT, code):
        return True
    prefix = scope_prefix(user)  # a clerk scoped below the region still enters some of its TPS
    return bool(prefix) and prefix.startswith(code) and may(user, Action.ENTER_RESULT, prefix)


def visible_states(user, target) -> frozenset[str]:
    """The result states whose numbers ``user`` may see at ``target`` (a TPS or region code, or an
    object with ``.code``; '' = national). Empty when the user may not see results there at all."""
    code = _code(target)
    if code:
        allowed = may(user, Action.VIEW_RESULTS, code)
    else:  # the national level: nationwide users only
        allowed = scope_prefix(user) == "" and may(user, Action.VIEW_RESULTS)
    if not allowed:
        return frozenset()
    if _may_enter_within(user, code) and not may(user, Action.RECONCILE_RESULT, code or None):
        return ALL_STATES - BLIND_STATES
    return ALL_STATES


def may_see_numbers(user, target, state: str) -> bool:
    """True if ``user`` may see the numbers of the result at ``target`` (a TPS code, or a result
    with ``.code``) while it is in ``state`` (see the module's rule)."""
    return state in visible_states(user, target)


def may_see_result(user, result) -> bool:
    """:func:`may_see_numbers` for a ``TpsResult`` (its code and current state)."""
    return result is not None and may_see_numbers(user, result.code, result.state)


def may_see_region_numbers(user, code: str) -> bool:
    """True if ``user`` may see the totals of region ``code`` ('' = national): they sum every counted
    state, so the user must see the numbers of every state there."""
    return visible_states(user, code) >= NUMBER_STATES


def visible_numbers_q(user, code_field: str = "code", state_field: str = "state") -> Q:
    """A filter keeping only the results whose numbers ``user`` may see (scope and state)."""
    prefix = scope_prefix(user)
    if prefix is None:
        return Q(pk__in=[])
    states = visible_states(user, prefix)
    if not states:
        return Q(pk__in=[])
    q = Q(**{f"{state_field}__in": sorted(states)})
    return q & Q(**{f"{code_field}__startswith": prefix}) if prefix else q


def visible_jobs_q(user) -> Q:
    """Background jobs a user may see on the jobs page: every job for a nationwide manager of
    users (admin), else only the jobs the user started (a koordinator's imports and mandate runs)."""
    from .rules import Action, may

    if may(user, Action.MANAGE_USERS):
        return Q()
    return Q(created_by_id=user.pk)
