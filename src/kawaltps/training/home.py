"""What Bimtek puts on a home page: a trainer's coming sessions; a volunteer's open tests."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kawaltps.access import Action, may
from kawaltps.core.navigation import Count

from . import exams, services
from .models import Enrolment, TestAttempt


def counts(user, election) -> list[Count]:
    out = []
    today = timezone.localdate()
    if may(user, Action.MANAGE_TRAINING):
        n = services.sessions_for(user).filter(date__gte=today, date__lte=today + datetime.timedelta(days=7)).count()
        out.append(Count(n, _("sesi Bimtek dalam 7 hari ke depan"), reverse("training:sessions")))
    if user.pk and hasattr(user, "volunteer"):
        enrolments = Enrolment.objects.filter(volunteer__user=user).prefetch_related("attempts")
        open_post = sum(1 for e in enrolments if exams.why_closed(e, TestAttempt.Kind.POST) is None)
        if open_post:
            out.append(Count(open_post, _("post-test Bimtek menunggu Anda"), reverse("training:mine"), urgent=True))
    return out
