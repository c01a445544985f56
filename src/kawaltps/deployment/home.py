"""What deployment puts on a home page: TPS without a saksi in the coordinator's area; a volunteer's post."""

from django.urls import reverse
from django.utils.translation import gettext as _

from kawaltps.access import Action, may, scope_prefix
from kawaltps.core.navigation import Count
from kawaltps.volunteers.models import Volunteer

from . import reports
from .models import Assignment


def counts(user, election) -> list[Count]:
    if election is None:
        return []
    out = []
    if may(user, Action.MANAGE_DEPLOYMENT):
        prefix = scope_prefix(user) or ""
        s = reports.summary(reports.tps_status(election, prefix))
        out.append(Count(s["none"], _("TPS tanpa saksi"), reverse("deployment:gaps"), urgent=True))
    volunteer = Volunteer.objects.filter(user_id=user.pk).first() if user.pk else None
    if volunteer is not None:
        post = (Assignment.objects.filter(volunteer=volunteer, election=election, status=Assignment.Status.ACTIVE)
                .select_related("tps__kelurahan").first())
        if post is not None:
            text = _("Tugas Anda: %(kind)s TPS %(n)03d %(kel)s") % {
                "kind": post.get_kind_display(), "n": post.tps.number, "kel": post.tps.kelurahan.name}
        else:
            text = _("Anda belum ditugaskan ke TPS")
        out.append(Count(None, text, reverse("deployment:mine")))
    return out
