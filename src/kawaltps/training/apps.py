from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "kawaltps.training"
    verbose_name = "Bimtek"

    def ready(self):
        from kawaltps.access import Action
        from kawaltps.core.navigation import HOME_COUNTS, MENU, NEXT_STEPS, Link
        from kawaltps.people.models import Role

        MENU.append(Link(_("Bimtek"), "training:sessions", Action.MANAGE_TRAINING, order=40))
        sessions = Link(_("Sesi Bimtek"), "training:sessions", Action.MANAGE_TRAINING,
                        _("Buat sesi, daftarkan relawan, pindai kehadiran dengan kode QR."))
        gains = Link(_("Hasil Bimtek"), "training:gains", Action.VIEW_READINESS,
                     _("Kenaikan nilai pre-test → post-test per sesi, pelatih, ormas dan modul."))
        for role in (Role.ADMIN, Role.KOORDINATOR, Role.TRAINER):
            NEXT_STEPS.setdefault(role, []).extend([sessions, gains])
        NEXT_STEPS.setdefault(Role.OBSERVER, []).append(gains)
        mine = Link(_("Bimtek saya"), "training:mine", None, _("Kode kehadiran, pre-test, post-test, sertifikat."))
        for role in (Role.SAKSI, Role.RELAWAN):
            NEXT_STEPS.setdefault(role, []).append(mine)
        from .home import counts

        HOME_COUNTS.append(counts)
