from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "kawaltps.evidence"
    verbose_name = "Bukti (foto dan video)"
