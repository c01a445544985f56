from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "kawaltps.results"
    verbose_name = "Hasil (C.Hasil)"

    def ready(self):
        from . import capture_menu, early

        capture_menu.register()
        early.register()  # a device's submission and presign answered before ninja (core.fastroutes)
