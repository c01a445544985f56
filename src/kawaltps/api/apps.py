from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kawaltps.api"
    verbose_name = "API"
