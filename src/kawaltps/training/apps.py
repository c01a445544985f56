from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "kawaltps.training"
    verbose_name = "Bimtek"
