from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "kawaltps.results"
    verbose_name = "Hasil (C.Hasil)"

    def ready(self):
        from . import capture_menu

        capture_menu.register()
