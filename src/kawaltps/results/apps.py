from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "kawaltps.results"
    verbose_name = "Hasil (C.Hasil)"
