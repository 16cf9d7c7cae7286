"""System checks of the accounts app."""

from typing import Any

from django.core.checks import CheckMessage, Error, register

from .signals import staff_event


@register()
def staff_events_recorded(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Sign-ins must be audited: the audit app records `staff_event`, so it must be installed."""
    if staff_event.has_listeners():
        return []
    return [
        Error(
            "Nothing records staff sign-ins and sign-outs (no receiver of staff_event)",
            hint='Add "porth.audit" to INSTALLED_APPS',
            id="accounts.E001",
        )
    ]
