from django.apps import AppConfig


class RecapConfig(AppConfig):
    name = "kawaltps.recap"
    verbose_name = "Rekapitulasi & selisih"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from kawaltps.access import Action
        from kawaltps.core.navigation import HOME_COUNTS, MENU, NEXT_STEPS, Link
        from kawaltps.people.models import Role

        MENU.append(Link(_("Selisih rekap"), "recap:list", Action.VIEW_DISCREPANCIES, order=40))
        MENU.append(Link(_("D.Hasil"), "recap:dhasil", Action.MANAGE_OFFICIAL_DATA, order=45))
        ranked = Link(
            _("Selisih rekapitulasi"),
            "recap:list",
            Action.VIEW_DISCREPANCIES,
            _("Suara yang berpindah dari TPS ke Sirekap dan di setiap tingkat rekap."),
        )
        for role in (Role.ADMIN, Role.KOORDINATOR, Role.LEGAL, Role.OBSERVER):
            NEXT_STEPS[role].append(ranked)
        NEXT_STEPS[Role.CLERK].append(
            Link(
                _("Entri D.Hasil"),
                "recap:dhasil",
                Action.MANAGE_OFFICIAL_DATA,
                _("Angka rekap kecamatan, kota, dan provinsi beserta fotonya."),
            )
        )
        from .home import counts

        HOME_COUNTS.append(counts)
