"""What the legal team sees first on its home page: Bawaslu reports whose 7-day deadline is near,
and incidents escalated to it that no report covers yet."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kawaltps.access import Action, may, scope_q
from kawaltps.core.navigation import Count
from kawaltps.fieldday.models import Incident

from .models import BawasluReport

NEAR_DAYS = 3  # a report due within this many days is urgent


def counts(user, election) -> list[Count]:
    if election is None or not may(user, Action.VIEW_LEGAL):
        return []
    url = reverse("legal:list") + f"?pemilihan={election.slug}"
    today = timezone.localdate()
    reports = BawasluReport.objects.filter(election=election).filter(scope_q(user, Action.VIEW_LEGAL, "code"))
    near = reports.filter(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=NEAR_DAYS)).count()
    escalated = (Incident.objects.filter(election=election, state=Incident.State.ESCALATED)
                 .filter(scope_q(user, Action.VIEW_LEGAL, "tps_code"))
                 .exclude(pk__in=BawasluReport.incidents.through.objects.values("incident_id")).count())
    return [Count(near, _("laporan Bawaslu bertenggat 3 hari lagi atau kurang"), url, urgent=True),
            Count(escalated, _("kejadian diteruskan ke tim hukum, belum dilaporkan ke Bawaslu"), url, urgent=True)]
