from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapsConfig(AppConfig):
    name = "kawaltps.maps"
    verbose_name = "Peta"

    def ready(self):
        from kawaltps.access import Action
        from kawaltps.core.navigation import MENU, NEXT_STEPS, Link
        from kawaltps.people.models import Role

        # Shown to everyone who may see at least one layer (maps.layers): coordinators, trainers,
        # legal, observers; the page itself asks each layer's action (views.page).
        MENU.append(Link(_("Peta"), "maps:page", Action.VIEW_READINESS, order=48))
        MENU.append(Link(_("Peta"), "maps:page", Action.VIEW_FIELD, order=48, roles=frozenset({Role.LEGAL})))
        peta = Link(_("Peta kelurahan"), "maps:page", Action.VIEW_REGION,
                    _("C.Hasil masuk, selisih, kesiapan saksi, dan saksi hadir per kelurahan."))
        for role in (Role.ADMIN, Role.KOORDINATOR, Role.LEGAL, Role.OBSERVER):
            NEXT_STEPS.setdefault(role, []).append(peta)
