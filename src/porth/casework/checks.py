"""System checks of the casework app."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def reply_days(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """A reply link must work for some time, or every request for information would send
    the applicant a link that is already dead."""
    if settings.PORTH_REPLY_DAYS > 0:
        return []
    return [
        Error(
            f"PORTH_REPLY_DAYS is {settings.PORTH_REPLY_DAYS:g}: reply links would never work",
            hint="Set PORTH_REPLY_DAYS to the number of days an applicant has to reply "
            "(28 if unset)",
            id="casework.E001",
        )
    ]
