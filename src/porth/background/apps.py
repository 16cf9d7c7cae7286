from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "porth.background"
    verbose_name = "Background work"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
