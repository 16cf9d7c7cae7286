from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "porth.casework"
    verbose_name = "Casework"

    def ready(self) -> None:
        # The system checks; and every submission makes a case.
        from . import checks, receivers  # noqa: F401
