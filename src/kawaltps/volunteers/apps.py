from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    name = "kawaltps.volunteers"
    verbose_name = "Relawan"
