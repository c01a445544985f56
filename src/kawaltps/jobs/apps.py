from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "kawaltps.jobs"
    verbose_name = "Tugas latar belakang"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from kawaltps.access import Action
        from kawaltps.core.navigation import MENU, NEXT_STEPS, Link
        from kawaltps.people.models import Role

        from . import celery  # noqa: F401  (binds @shared_task to the configured app)

        MENU.append(Link(_("Tugas latar belakang"), "jobs:list", Action.VIEW_JOBS, order=90))
        NEXT_STEPS[Role.ADMIN].append(Link(_("Tugas latar belakang"), "jobs:list", Action.VIEW_JOBS,
                                           _("Kemajuan dan kegagalan impor, berkas bukti, dan surat mandat.")))
