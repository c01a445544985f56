"""Menu links and home-page steps of result capture (saksi form, clerk entry, reconciliation)."""

from django.utils.translation import gettext_lazy as _

from kawaltps.access import Action
from kawaltps.core.navigation import HOME_COUNTS, MENU, NEXT_STEPS, Link
from kawaltps.people.models import Role


def register() -> None:
    from .home import counts

    HOME_COUNTS.append(counts)
    MENU.extend([
        Link(_("Kirim C.Hasil"), "results:saksi", Action.SUBMIT_RESULT, order=20),
        Link(_("Entri C.Hasil"), "results:entry_queue", Action.ENTER_RESULT, order=21),
        Link(_("Rekonsiliasi"), "results:reconcile_queue", Action.RECONCILE_RESULT, order=22),
        Link(_("Rekap hasil"), "results:dashboard", Action.VIEW_RESULTS, order=23),
    ])
    dashboard = Link(_("Rekap hasil"), "results:dashboard", Action.VIEW_RESULTS,
                     _("Suara per paslon, cakupan TPS, dan TPS bermasalah, dari provinsi sampai TPS."))
    for role in (Role.KOORDINATOR, Role.OBSERVER, Role.LEGAL, Role.ADMIN):
        NEXT_STEPS[role].append(dashboard)
    NEXT_STEPS[Role.SAKSI].insert(0, Link(_("Kirim C.Hasil TPS Anda"), "results:saksi", Action.SUBMIT_RESULT,
                                          _("Isi angka C.Hasil dan foto setiap halaman, langsung dari TPS.")))
    NEXT_STEPS[Role.CLERK].append(Link(_("Entri C.Hasil dari foto"), "results:entry_queue", Action.ENTER_RESULT,
                                       _("Entri pertama, atau entri kedua tanpa melihat entri pertama.")))
    NEXT_STEPS[Role.KOORDINATOR].append(Link(_("Antrean rekonsiliasi"), "results:reconcile_queue",
                                             Action.RECONCILE_RESULT,
                                             _("Putuskan TPS yang entri-entrinya berbeda.")))
