from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "porth.analytics"
    verbose_name = "Service performance data"

    def ready(self) -> None:
        # receivers connects to the apps' signals.
        from . import receivers  # noqa: F401
