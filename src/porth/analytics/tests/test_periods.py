"""Days, weeks from Monday, calendar months and quarters, and what they are called."""

from datetime import date

import pytest

from porth.analytics.periods import Period


def test_a_week_starts_on_monday_and_is_named_by_it() -> None:
    week = Period.containing("week", date(2026, 11, 5))  # a Thursday
    assert week.start == date(2026, 11, 2)
    assert week.end == date(2026, 11, 8)
    assert week.days == 7
    assert week.label == "Week beginning 2 November 2026"


def test_quarters_are_calendar_quarters() -> None:
    quarter = Period.containing("quarter", date(2026, 8, 20))
    assert (quarter.start, quarter.end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert quarter.label == "July to September 2026"
    assert quarter.days == 92
    assert quarter.previous().label == "April to June 2026"
    assert quarter.next().next().label == "January to March 2027"


def test_months_run_across_years_and_leap_days() -> None:
    february = Period("month", date(2028, 2, 1))
    assert february.end == date(2028, 2, 29)
    assert february.label == "February 2028"
    assert Period("month", date(2026, 12, 1)).next() == Period("month", date(2027, 1, 1))
    assert Period("month", date(2027, 1, 1)).previous() == Period("month", date(2026, 12, 1))


def test_a_day_is_named_by_its_date() -> None:
    day = Period("day", date(2026, 11, 2))
    assert day.label == "2 November 2026"
    assert day.end == day.start
    assert day.next().start == date(2026, 11, 3)
    assert day.dates() == [date(2026, 11, 2)]


def test_a_query_string_gives_the_period_containing_its_date() -> None:
    assert Period.parse("month", "2026-11-17") == Period("month", date(2026, 11, 1))
    assert Period.parse("quarter", "2026-01-01").label == "January to March 2026"


@pytest.mark.parametrize(
    ("kind", "start", "message"),
    [
        ("year", "2026-01-01", "Choose a day, week, month or quarter"),
        ("month", "2026-13-01", "Enter the start date as year-month-day, like 2026-11-01"),
        ("week", "last tuesday", "Enter the start date as year-month-day, like 2026-11-01"),
    ],
)
def test_a_bad_query_string_says_plainly_what_is_wrong(kind: str, start: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Period.parse(kind, start)


def test_a_period_must_start_on_its_first_day() -> None:
    with pytest.raises(ValueError, match="not the first day of a week"):
        Period("week", date(2026, 11, 4))
