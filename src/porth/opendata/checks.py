"""System checks for the open data app's settings."""

import math
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def performance_settings(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    hours = settings.PORTH_OPENDATA_REFRESH_HOURS
    if not (isinstance(hours, int | float) and math.isfinite(hours) and hours > 0):
        errors.append(
            Error(
                f"PORTH_OPENDATA_REFRESH_HOURS is {hours!r}: it must be a number of hours "
                "greater than 0 (how often the performance datasets are made again).",
                id="porth.opendata.E001",
            )
        )
    below = settings.PORTH_OPENDATA_SUPPRESS_BELOW
    if not (isinstance(below, int) and below >= 1):
        errors.append(
            Error(
                f"PORTH_OPENDATA_SUPPRESS_BELOW is {below!r}: it must be a whole number of "
                "at least 1 (counts under it are withheld from the performance datasets; "
                "10 is usual).",
                id="porth.opendata.E002",
            )
        )
    return errors
