from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "kawaltps.people"
    verbose_name = "Pengguna & Organisasi"

    def ready(self) -> None:
        from kawaltps.access import Action
        from kawaltps.core.navigation import MENU, NEXT_STEPS, Link

        from .models import Role

        log = Link(_("Akses data pribadi"), "people:access_log", Action.VIEW_ACCESS_LOG,
                   _("Siapa melihat NIK, telepon atau alamat siapa, dan kapan."), order=90)
        MENU.append(log)
        NEXT_STEPS.setdefault(Role.DPO, []).append(log)
