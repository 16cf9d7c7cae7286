from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "porth.audit"
    verbose_name = "Audit log"
