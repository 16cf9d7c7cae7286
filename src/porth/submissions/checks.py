"""System checks for the submissions app's settings."""

import math
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def save_days(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    days = settings.PORTH_SAVE_DAYS
    if not (isinstance(days, int | float) and math.isfinite(days) and days > 0):
        return [
            Error(
                f"PORTH_SAVE_DAYS is {days!r}: it must be a number of days greater than 0 "
                "(how long a journey saved for later is kept, waiting for its link).",
                id="porth.submissions.E001",
            )
        ]
    return []
