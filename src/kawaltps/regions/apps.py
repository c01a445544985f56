from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "kawaltps.regions"
    verbose_name = "Wilayah & TPS"
