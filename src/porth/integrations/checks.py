"""System checks of the webhook settings."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register()
def webhook_settings(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if not 0 < settings.PORTH_WEBHOOK_TIMEOUT <= 60:
        problems.append(
            Error(
                f"PORTH_WEBHOOK_TIMEOUT={settings.PORTH_WEBHOOK_TIMEOUT!r} must be more than 0 "
                "and at most 60 seconds",
                hint="A worker waits this long for a receiver; 10 is the default",
                id="integrations.E001",
            )
        )
    if settings.PORTH_WEBHOOK_MAX_ATTEMPTS < 1:
        problems.append(
            Error(
                "PORTH_WEBHOOK_MAX_ATTEMPTS must be 1 or more",
                hint="8 (the default) tries for about two hours",
                id="integrations.E002",
            )
        )
    if settings.PRODUCTION and settings.PORTH_WEBHOOK_ALLOW_PRIVATE:
        problems.append(
            Warning(
                "PORTH_WEBHOOK_ALLOW_PRIVATE is on: service owners can make Porth send "
                "requests to addresses on its own network",
                hint="Leave it off in production unless every receiver is on a private network",
                id="integrations.W001",
            )
        )
    return problems
