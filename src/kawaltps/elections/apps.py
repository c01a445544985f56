from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "kawaltps.elections"
    verbose_name = "Pemilihan"
