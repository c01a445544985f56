"""What result capture puts on a home page (``core.navigation.HOME_COUNTS``): each queue's count."""

from django.urls import reverse
from django.utils.translation import gettext as _

from kawaltps.access import Action, may
from kawaltps.core.navigation import Count
from kawaltps.people.models import Role

from . import queues
from .models import TpsResult


def counts(user, election) -> list[Count]:
    if election is None:
        return []
    q = f"?pemilihan={election.slug}"
    out = []
    if may(user, Action.ENTER_RESULT):
        n = queues.entry_queue(user, election).count()
        out.append(Count(n, _("TPS menunggu entri Anda"), reverse("results:entry_queue") + q, urgent=True))
    if may(user, Action.RECONCILE_RESULT):
        n = queues.reconcile_queue(user, election).count()
        out.append(Count(n, _("TPS dengan entri berbeda, menunggu keputusan"),
                         reverse("results:reconcile_queue") + q, urgent=True))
    if user.role == Role.SAKSI and user.tps_code:
        result = TpsResult.objects.filter(election=election, source="witness", code=user.tps_code).first()
        sent = result is not None and result.state != "received"
        out.append(Count(None, _("C.Hasil TPS Anda sudah terkirim: %(state)s") % {"state": result.get_state_display()}
                         if sent else _("C.Hasil TPS Anda belum dikirim"),
                         reverse("results:saksi"), urgent=not sent))
    elif may(user, Action.VIEW_RESULTS) and user.role in (Role.KOORDINATOR, Role.ADMIN, Role.LEGAL):
        c = queues.area_counts(user, election)
        dash = reverse("results:dashboard") + q
        out += [Count(c["without_numbers"], _("TPS di wilayah Anda belum ada angkanya"), dash),
                Count(c["flagged"], _("TPS ditandai pemeriksaan hitungan"), dash, urgent=True)]
    return out
