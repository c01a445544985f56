from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeploymentConfig(AppConfig):
    name = "kawaltps.deployment"
    verbose_name = "Penugasan saksi"

    def ready(self):
        from kawaltps.access import Action
        from kawaltps.core.navigation import HOME_COUNTS, MENU, NEXT_STEPS, Link
        from kawaltps.people.models import Role

        from . import tasks  # noqa: F401  (registers the bulk mandate job with Celery)

        MENU.append(Link(_("Penugasan"), "deployment:overview", Action.MANAGE_DEPLOYMENT, order=45))
        overview = Link(_("Penugasan saksi"), "deployment:overview", Action.MANAGE_DEPLOYMENT,
                        _("Saksi tersertifikasi ke setiap TPS, cadangan, sematkan/tukar/lepas."))
        gaps = Link(_("TPS tanpa saksi"), "deployment:gaps", Action.MANAGE_DEPLOYMENT,
                    _("Celah per wilayah, peta, unduh CSV/XLSX, naikkan cadangan."))
        for role in (Role.ADMIN, Role.KOORDINATOR):
            NEXT_STEPS.setdefault(role, []).extend([overview, gaps])
        mine = Link(_("Tugas saya"), "deployment:mine", None,
                    _("Bimtek, sertifikat, TPS tugas dan surat mandat Anda."), order=5)
        for role in (Role.SAKSI, Role.RELAWAN):
            NEXT_STEPS.setdefault(role, []).insert(0, mine)
        from .home import counts

        HOME_COUNTS.append(counts)
