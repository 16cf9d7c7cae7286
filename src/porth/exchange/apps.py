from datetime import timedelta

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "porth.exchange"
    verbose_name = "Exchange between organisations"

    def ready(self) -> None:
        from porth.background.service import periodic
        from porth.casework.service import register_case_part
        from porth.submissions.service import register_prefiller
        from porth.submissions.signals import submitted

        from . import (
            checks,  # noqa: F401 - registers the system checks
            demo,
        )
        from .prefilling import ExchangePrefiller, case_part, on_submitted
        from .tasks import forget_old_message_ids

        periodic(
            "exchange.forget_old_message_ids", every=timedelta(hours=1), task=forget_old_message_ids
        )
        # "Tell us once": the journey pages fetch a prefilled page's answers through this.
        register_prefiller(ExchangePrefiller())
        submitted.connect(on_submitted, dispatch_uid="exchange.prefill")
        register_case_part("exchange.prefilled", case_part)
        demo.register()  # the demo's made-up Pension Credit query (not in production)
