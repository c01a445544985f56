from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "kawaltps.legal"
    verbose_name = "Berkas hukum"

    def ready(self):
        from kawaltps.access import Action
        from kawaltps.core.navigation import HOME_COUNTS, MENU, NEXT_STEPS, Link
        from kawaltps.people.models import Role

        from .home import counts

        MENU.append(Link(_("Hukum"), "legal:list", Action.VIEW_LEGAL, order=48))
        filings = Link(_("Berkas hukum"), "legal:list", Action.VIEW_LEGAL,
                       _("Laporan ke Bawaslu dari temuan dan kejadian, berkas permohonan MK; tenggat."))
        for role in (Role.ADMIN, Role.LEGAL):
            NEXT_STEPS.setdefault(role, []).append(filings)
        HOME_COUNTS.append(counts)
