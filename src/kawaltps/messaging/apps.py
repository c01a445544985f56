from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "kawaltps.messaging"
    verbose_name = "Pesan WhatsApp, Telegram, SMS"

    def ready(self):
        from kawaltps.access import Action
        from kawaltps.core.navigation import MENU, NEXT_STEPS, Link
        from kawaltps.people.models import Role

        MENU.append(Link(_("Siaran"), "messaging:broadcasts", Action.MANAGE_DEPLOYMENT, order=48))
        step = Link(_("Siaran ke saksi"), "messaging:broadcasts", Action.MANAGE_DEPLOYMENT,
                    _("Kirim pesan ke saksi per kelurahan, per kecamatan, atau ke cadangan TPS tanpa saksi."))
        for role in (Role.ADMIN, Role.KOORDINATOR):
            NEXT_STEPS.setdefault(role, []).append(step)
