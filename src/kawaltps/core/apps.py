from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kawaltps.core"
    verbose_name = "Kawal TPS"
