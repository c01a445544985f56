from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# the operations of ``api.FAST`` (tested equal): the API module (ninja, pydantic) is imported by the
# first request to one of them, not by every process's start-up (a command never serves them)
EARLY_PATHS = ("checkins", "checklist", "incidents")


def _early(path: str):
    """``api.early_route(path)``, built on its first request."""
    route = []

    def handle(request):
        if not route:
            from .api import early_route

            route.append(early_route(path))
        return route[0](request)

    return handle


class FielddayConfig(AppConfig):
    name = "kawaltps.fieldday"
    verbose_name = "Hari pemungutan suara"

    def ready(self):
        from kawaltps.access import Action
        from kawaltps.core import fastroutes
        from kawaltps.core.navigation import MENU, NEXT_STEPS, Link
        from kawaltps.people.models import Role

        from . import incident_evidence, measures

        measures.register()
        incident_evidence.register()
        for path in EARLY_PATHS:  # the device's reports answered before ninja (core.fastroutes)
            fastroutes.register("POST", f"/api/fieldday/{path}", _early(path))

        MENU.append(Link(_("Hari H"), "fieldday:board", Action.VIEW_FIELD, order=47))
        # the saksi's way in on election day: their TPS's page (the board is for coordinators)
        MENU.append(Link(_("Hari H"), "fieldday:saksi", Action.FIELD_REPORT, order=12, roles=frozenset({Role.SAKSI})))
        board = Link(_("Papan hari H"), "fieldday:board", Action.VIEW_FIELD,
                     _("TPS dengan 0, 1, atau semua saksi hadir; eskalasi dan kirim cadangan."))
        incidents = Link(_("Laporan kejadian"), "fieldday:incidents", Action.VIEW_FIELD,
                         _("Kecurangan dan keberatan: verifikasi, teruskan, laporkan, tenggat."))
        for role in (Role.ADMIN, Role.KOORDINATOR, Role.LEGAL, Role.OBSERVER):
            NEXT_STEPS.setdefault(role, []).extend([board, incidents])
        mine = Link(_("Hari H di TPS saya"), "fieldday:saksi", Action.FIELD_REPORT,
                    _("Check-in, kehadiran pemilih, daftar periksa, laporan kejadian; bisa tanpa sinyal."), order=6)
        NEXT_STEPS.setdefault(Role.SAKSI, []).insert(0, mine)
