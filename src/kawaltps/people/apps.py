from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "kawaltps.people"
    verbose_name = "Pengguna & Organisasi"
