"""API at /api/recap/: the ranked discrepancies (the same rules as the pages)."""

from django.shortcuts import get_object_or_404
from ninja import Router

from kawaltps.access import Action, require, scope_q
from kawaltps.elections.models import Election

from .discrepancies import as_dict, ranked

router = Router(tags=["recap"])


@router.get("/discrepancies", summary="Selisih rekapitulasi, terbesar dulu")
def discrepancies(request, election: str, step: str = "", region: str = "", limit: int = 100):
    require(request.user, Action.VIEW_DISCREPANCIES)
    e = get_object_or_404(Election, slug=election)
    qs = ranked(e, step=step or None, prefix=region).filter(scope_q(request.user, Action.VIEW_DISCREPANCIES, "code"))
    return [as_dict(d) for d in qs[: max(1, min(limit, 1000))]]
