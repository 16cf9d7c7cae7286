"""System checks for the exchange's settings."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

# (setting, what it is, the smallest sensible value)
_POSITIVE = [
    ("PORTH_EXCHANGE_WINDOW_SECONDS", "seconds a signature is accepted either side of now", 1),
    ("PORTH_EXCHANGE_KEY_DAYS", "days a new signing key verifies", 1),
    ("PORTH_EXCHANGE_TIMEOUT", "seconds a caller waits for a partner", 0.1),
]


@register()
def exchange_settings(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for number, (name, meaning, least) in enumerate(_POSITIVE, start=1):
        value = getattr(settings, name)
        if not (isinstance(value, int | float) and value >= least):
            errors.append(
                Error(
                    f"{name} is {value!r}: it must be a number of at least {least} ({meaning}).",
                    id=f"porth.exchange.E00{number}",
                )
            )
    return errors
