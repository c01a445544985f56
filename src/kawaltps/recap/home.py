"""What the recapitulation guard puts on a home page: moved votes found in the user's area."""

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from kawaltps.access import Action, may, scope_q
from kawaltps.core.formatting import number
from kawaltps.core.navigation import Count

from .models import Discrepancy


def counts(user, election) -> list[Count]:
    if election is None or not may(user, Action.VIEW_DISCREPANCIES):
        return []
    qs = Discrepancy.objects.filter(election=election).filter(scope_q(user, Action.VIEW_DISCREPANCIES, "code"))
    agg = qs.aggregate(moved=Sum("votes_moved"))
    n = qs.count()
    text = (_("selisih rekap, %(moved)s suara berpindah") % {"moved": number(agg["moved"] or 0)} if n
            else _("selisih rekap ditemukan"))
    return [Count(n, text, reverse("recap:list") + f"?pemilihan={election.slug}", urgent=True)]
