from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "kawaltps.volunteers"
    verbose_name = "Relawan"

    def ready(self):
        from kawaltps.access import Action
        from kawaltps.core.navigation import MENU, NEXT_STEPS, Link
        from kawaltps.people.models import Role

        from .logfilter import install

        install()
        MENU.append(Link(_("Relawan"), "volunteers:list", Action.MANAGE_VOLUNTEERS, order=30))
        MENU.append(Link(_("Kesiapan saksi"), "volunteers:readiness", Action.VIEW_READINESS, order=35))
        volunteers = Link(_("Relawan"), "volunteers:list", Action.MANAGE_VOLUNTEERS,
                          _("Daftar relawan di wilayah Anda, saring per kelurahan, status, dan ormas."))
        upload = Link(_("Impor daftar relawan"), "volunteers:upload", Action.MANAGE_VOLUNTEERS,
                      _("Unggah CSV/XLSX dari koordinator; setiap baris diimpor atau dilaporkan."))
        readiness = Link(_("Kesiapan saksi"), "volunteers:readiness", Action.VIEW_READINESS,
                         _("TPS, relawan terdaftar/terlatih/tersertifikasi, dan kekurangannya, dengan peta."))
        partners = Link(_("Ormas mitra"), "volunteers:partners", Action.VIEW_READINESS,
                        _("Koordinator, relawan, Bimtek, dan cakupan TPS setiap ormas."))
        for role in (Role.ADMIN, Role.KOORDINATOR):
            NEXT_STEPS.setdefault(role, []).extend([volunteers, upload, readiness, partners])
        for role in (Role.TRAINER, Role.OBSERVER):
            NEXT_STEPS.setdefault(role, []).extend([readiness, partners])
