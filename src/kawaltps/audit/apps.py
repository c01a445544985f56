from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kawaltps.audit"
    verbose_name = "Jejak perubahan"
