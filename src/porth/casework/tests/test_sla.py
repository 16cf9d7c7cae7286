"""When a case is due: its service's SLA, an ISO 8601 duration, in calendar terms."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from porth.casework.actions import sla_due
from porth.services.definition.bounds import today_bound

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, 30, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("sla", "opened", "due"),
    [
        ("P1M", london(2026, 1, 31), london(2026, 2, 28)),  # the last day of February
        ("P1M", london(2024, 1, 31), london(2024, 2, 29)),  # in a leap year
        ("P1Y", london(2024, 2, 29), london(2025, 2, 28)),  # a year from a leap day
        ("P1Y", london(2023, 3, 1), london(2024, 3, 1)),  # a year that has a leap day in it
        ("P1Y6M", london(2025, 8, 31), london(2027, 2, 28)),
        ("P10D", london(2026, 1, 25), london(2026, 2, 4)),
        ("P2W", london(2026, 12, 25), london(2027, 1, 8)),
    ],
)
def test_an_sla_counts_calendar_months_and_years(sla: str, opened: datetime, due: datetime) -> None:
    assert sla_due(sla, opened) == due


def test_an_sla_counts_days_on_the_calendar_the_team_works_to() -> None:
    # Half past midnight on 31 May in London is still 30 May in UTC (summer time): a month
    # from 31 May is 30 June, where a month from 30 May would be 30 June in UTC, 1 July here.
    opened = datetime(2026, 5, 30, 23, 30, tzinfo=UTC)

    assert sla_due("P1M", opened) == london(2026, 6, 30, hour=0)


def test_no_sla_no_due_date() -> None:
    assert sla_due(None, london(2026, 1, 31)) is None


@pytest.mark.parametrize(
    "day",
    [
        date(2024, 2, 29),
        date(2026, 1, 31),
        date(2025, 3, 31),
        date(2026, 6, 15),
        date(2026, 12, 31),
    ],
)
@pytest.mark.parametrize("duration", ["P18Y", "P1M", "P1Y6M", "P1M10D", "P2W"])
def test_a_date_rule_counts_durations_as_the_sla_does(day: date, duration: str) -> None:
    """`after: +P1M` in a definition and `sla: P1M` on a case fall on the same day."""
    due = sla_due(duration, datetime(day.year, day.month, day.day, 12, tzinfo=LONDON))

    assert due is not None and today_bound(f"+{duration}", day) == due.date()
