from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "porth.audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - staff sign-ins and sign-outs are recorded
