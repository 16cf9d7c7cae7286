from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings


class NotificationsConfig(AppConfig):
    name = "porth.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from porth.background.service import periodic

        # checks registers the system checks; receivers connects to the signals.
        from . import channels, checks, delivery, receivers  # noqa: F401

        channels.register_builtin()
        periodic(
            "notifications.sweep",
            every=timedelta(seconds=settings.PORTH_DELIVERY_SWEEP),
            task=delivery.sweep,
        )
