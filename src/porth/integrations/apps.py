from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings


class IntegrationsConfig(AppConfig):
    name = "porth.integrations"
    verbose_name = "REST API and webhooks for departments' systems"

    def ready(self) -> None:
        from porth.background.service import periodic
        from porth.utils.views import answer_errors_under

        # checks registers the system checks; receivers connects to the signals.
        from . import api, checks, delivery, receivers  # noqa: F401

        answer_errors_under("/api/v1/", api.refused_early)

        periodic(
            "integrations.sweep",
            every=timedelta(seconds=settings.PORTH_DELIVERY_SWEEP),
            task=delivery.sweep,
        )
        periodic("integrations.prune", every=timedelta(days=1), task=delivery.prune)
