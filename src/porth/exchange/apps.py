from datetime import timedelta

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "porth.exchange"
    verbose_name = "Exchange between organisations"

    def ready(self) -> None:
        from porth.background.service import periodic

        from . import checks  # noqa: F401 - registers the system checks
        from .tasks import forget_old_message_ids

        periodic(
            "exchange.forget_old_message_ids", every=timedelta(hours=1), task=forget_old_message_ids
        )
