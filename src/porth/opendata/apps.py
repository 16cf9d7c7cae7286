from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings


class OpendataConfig(AppConfig):
    name = "porth.opendata"
    verbose_name = "Open data"

    def ready(self) -> None:
        from porth.background.service import periodic

        from . import checks  # noqa: F401 - registers the system checks
        from .tasks import publish_performance

        # Daily by default: the datasets hold whole months, so a day's delay costs nothing,
        # and a run that finds nothing new writes nothing.
        hours = settings.PORTH_OPENDATA_REFRESH_HOURS
        periodic(
            "opendata.publish_performance",
            every=timedelta(hours=hours if hours > 0 else 24),  # else the check says so
            task=publish_performance,
        )
