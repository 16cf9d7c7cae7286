"""ISO 8601 durations: added on the calendar, and the schema takes what the loader takes."""

import json
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from porth.services.definition import durations
from porth.services.definition.bounds import today_bound


@pytest.mark.parametrize(
    ("start", "duration", "moved"),
    [
        (date(2026, 1, 31), "P1M", date(2026, 2, 28)),
        (date(2024, 1, 31), "P1M", date(2024, 2, 29)),
        (date(2024, 2, 29), "P1Y", date(2025, 2, 28)),
        (date(2024, 2, 29), "P4Y", date(2028, 2, 29)),
        (date(2023, 3, 1), "P1Y", date(2024, 3, 1)),
        (date(2024, 2, 29), "-P18Y", date(2006, 2, 28)),
        (date(2026, 3, 31), "-P1M", date(2026, 2, 28)),
        (date(2024, 12, 25), "+P1M10D", date(2025, 2, 4)),  # the month first, then the days
        (date(2026, 1, 31), "P1M1D", date(2026, 3, 1)),
        (date(2026, 12, 25), "P2W", date(2027, 1, 8)),
        (date(2026, 6, 15), "P0D", date(2026, 6, 15)),
    ],
)
def test_durations_move_dates_on_the_calendar(start: date, duration: str, moved: date) -> None:
    assert durations.add(start, duration) == moved


def test_a_time_keeps_its_time_of_day_and_zone() -> None:
    london = ZoneInfo("Europe/London")
    opened = datetime(2026, 3, 20, 9, 30, tzinfo=london)  # before the clocks go forward

    assert durations.add(opened, "P1M") == datetime(2026, 4, 20, 9, 30, tzinfo=london)


def test_an_18_year_bound_from_a_leap_day() -> None:
    assert today_bound("-P18Y", date(2024, 2, 29)) == date(2006, 2, 28)
    assert today_bound("-P18Y", date(2024, 3, 1)) == date(2006, 3, 1)


def _schema_patterns() -> tuple[str, str]:
    schema = json.loads(
        (Path(settings.PROJECT_DIR) / "docs" / "service-definition.schema.json").read_text()
    )
    duration = schema["properties"]["retention"]["anyOf"][0]["pattern"]
    bound = schema["$defs"]["Rule"]["properties"]["before"]["anyOf"][0]["pattern"]
    return duration, bound


SAMPLES = [
    "P10D", "P1M", "P1Y6M", "P2W", "P1Y2M3W4D", "P0D", "P", "P1D2Y", "P1D1D", "PT1H",
    "P1.5D", "P1,5D", "P0003-06-04", "P1Y6M1Y", "10D", "", "p10d", "P10DT",
]  # fmt: skip


@pytest.mark.parametrize("text", SAMPLES)
def test_the_schema_takes_the_durations_the_loader_takes(text: str) -> None:
    duration, bound = _schema_patterns()
    try:
        durations.check(text)
        taken = True
    except durations.DurationError:
        taken = False

    assert bool(re.search(duration, text)) == taken
    assert bool(re.search(bound, f"-{text}")) == taken
