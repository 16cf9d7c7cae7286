from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "porth.casework"
    verbose_name = "Casework"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - every submission makes a case
