from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FielddayConfig(AppConfig):
    name = "kawaltps.fieldday"
    verbose_name = "Hari pemungutan suara"

    def ready(self):
        from kawaltps.access import Action
        from kawaltps.core import fastroutes
        from kawaltps.core.navigation import MENU, NEXT_STEPS, Link
        from kawaltps.people.models import Role

        from . import api, incident_evidence, measures

        measures.register()
        incident_evidence.register()
        for path in api.FAST:  # the device's reports answered before ninja (core.fastroutes)
            fastroutes.register("POST", f"/api/fieldday/{path}", api.early_route(path))

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
