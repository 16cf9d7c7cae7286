"""`porth exchange_demo`: the demo's second organisation and its exchange service, for the
"tell us once" example (run by `porth run`; porth.exchange.demo says what it makes)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from porth.exchange.demo import ensure_exchange_demo


class Command(BaseCommand):
    help = "Make the demo's Example Pensions Agency and its Pension Credit exchange service."

    def handle(self, *args: Any, **options: Any) -> None:
        base_url = settings.PORTH_BASE_URL.rstrip("/") or "http://127.0.0.1:8000"
        service = ensure_exchange_demo(base_url)
        self.stdout.write(
            f"Exchange demo: {service.organisation.name} publishes {service.name!r} to "
            f"Example Council at {base_url} (National Insurance numbers ending in A get "
            "Pension Credit)."
        )
