from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "kawaltps.analytics"
    verbose_name = "Analitik (quick count, forensik)"

    def ready(self):
        from kawaltps.access import Action
        from kawaltps.core.navigation import MENU, NEXT_STEPS, Link
        from kawaltps.people.models import Role

        # the forensics page works for every area a user may view; the quick count only for the whole race
        # a saksi's scope is one TPS: no area to analyse, so no menu item that would answer 403
        MENU.append(Link(_("Analitik"), "analytics:forensics", Action.VIEW_RESULTS, order=60,
                         roles=frozenset({Role.ADMIN, Role.KOORDINATOR, Role.LEGAL, Role.OBSERVER})))
        quick = Link(_("Quick count"), "analytics:quickcount", Action.VIEW_RESULTS,
                     _("Perkiraan dari sampel acak TPS, dengan margin of error dan peluang di atas 50%."))
        forensics = Link(_("Forensik pemilu"), "analytics:forensics", Action.VIEW_RESULTS,
                         _("Uji statistik per wilayah: sidik jari, persentase bulat, digit, turnout."))
        bimtek = Link(_("Apakah Bimtek berhasil?"), "analytics:bimtek", Action.VIEW_READINESS,
                      _("Tingkat C.Hasil bermasalah per status pelatihan, nilai, pelatih dan ormas."))
        for role in (Role.ADMIN, Role.LEGAL, Role.OBSERVER):
            NEXT_STEPS.setdefault(role, []).append(quick)
        for role in (Role.ADMIN, Role.KOORDINATOR, Role.LEGAL, Role.OBSERVER):
            NEXT_STEPS.setdefault(role, []).append(forensics)
        for role in (Role.ADMIN, Role.KOORDINATOR, Role.OBSERVER):
            NEXT_STEPS.setdefault(role, []).append(bimtek)
