"""The work queues of result capture, one definition each: views page them, home pages count them.

- entry: TPS with photos that this clerk may enter now (first entry, or a blind second entry of
  someone else's), within their area;
- reconcile: disputed TPS (entries differ) within the supervisor's area;
- area counts for a coordinator: TPS without numbers yet, flagged by a check, disputed.
"""

from kawaltps.access import Action, scope_q
from kawaltps.regions.models import TPS

from . import services
from .models import State, TpsResult


def entry_queue(user, election):
    """TpsResults waiting for this clerk's entry, by code, with their TPS and kelurahan."""
    return (TpsResult.objects.filter(election=election, source="witness", photos__isnull=False)
            .filter(scope_q(user, Action.ENTER_RESULT)).filter(services.needs_entry_q(user))
            .select_related("tps__kelurahan").distinct().order_by("code"))


def reconcile_queue(user, election):
    """Disputed TpsResults in this supervisor's area, by code."""
    return (TpsResult.objects.filter(election=election, source="witness", state=State.DISPUTED)
            .filter(scope_q(user, Action.RECONCILE_RESULT)).select_related("tps__kelurahan").order_by("code"))


def area_counts(user, election) -> dict:
    """For a user who may view results: TPS in their area, with numbers, flagged, disputed."""
    tps = TPS.objects.filter(election=election).filter(scope_q(user, Action.VIEW_RESULTS))
    results = (TpsResult.objects.filter(election=election, source="witness")
               .filter(scope_q(user, Action.VIEW_RESULTS)))
    with_numbers = results.exclude(state=State.RECEIVED).count()
    total = tps.count()
    return {"tps": total, "without_numbers": max(total - with_numbers, 0),
            "flagged": results.filter(flagged=True).count(),
            "disputed": results.filter(state=State.DISPUTED).count()}
