from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings


class BackgroundConfig(AppConfig):
    name = "porth.background"
    verbose_name = "Background work"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
        from .service import periodic
        from .tasks import prune_results

        if settings.PORTH_TASKS == "database":  # RQ expires its own results
            periodic("background.prune_results", every=timedelta(days=1), task=prune_results)
