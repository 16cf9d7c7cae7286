from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings


class AnalyticsConfig(AppConfig):
    name = "porth.analytics"
    verbose_name = "Service performance data"

    def ready(self) -> None:
        from porth.background.service import periodic

        # receivers connects to the apps' signals.
        from . import receivers  # noqa: F401
        from .tasks import roll_up

        # Every minute by default: the dashboards are that far behind what happened, plus the
        # lag (rollups.py), and each run counts a minute's events in a few transactions.
        periodic(
            "analytics.roll_up",
            every=timedelta(seconds=settings.PORTH_ANALYTICS_ROLLUP_EVERY),
            task=roll_up,
        )
