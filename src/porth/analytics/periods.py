"""The periods figures are given for: a day, a week (Monday to Sunday), a calendar month or
a calendar quarter (January to March, April to June…), named by their first day."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, cast, get_args

Kind = Literal["day", "week", "month", "quarter"]
KINDS: tuple[Kind, ...] = get_args(Kind)


def _day(d: date) -> str:
    return f"{d.day} {d.strftime('%B %Y')}"


def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    kind: Kind
    start: date

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"a period is a day, week, month or quarter, not {self.kind!r}")
        if Period._first_day(self.kind, self.start) != self.start:
            raise ValueError(f"{self.start.isoformat()} is not the first day of a {self.kind}")

    @staticmethod
    def _first_day(kind: Kind, day: date) -> date:
        if kind == "day":
            return day
        if kind == "week":
            return day - timedelta(days=day.weekday())
        if kind == "month":
            return day.replace(day=1)
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)

    @classmethod
    def containing(cls, kind: Kind, day: date) -> "Period":
        """The period of this kind that `day` is in."""
        if kind not in KINDS:
            raise ValueError(f"a period is a day, week, month or quarter, not {kind!r}")
        return cls(kind, cls._first_day(kind, day))

    @classmethod
    def parse(cls, kind: str, start: str) -> "Period":
        """From a query string's words (`?period=month&start=2026-11-01`); a ValueError
        with a message fit to show when they do not name a period. A start date inside
        the period is taken as the period that contains it."""
        if kind not in KINDS:
            raise ValueError("Choose a day, week, month or quarter")
        try:
            day = date.fromisoformat(start)
        except ValueError:
            raise ValueError("Enter the start date as year-month-day, like 2026-11-01") from None
        return cls.containing(cast(Kind, kind), day)

    @property
    def end(self) -> date:
        """The last day in the period."""
        return self.next().start - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def next(self) -> "Period":
        if self.kind == "day":
            return Period("day", self.start + timedelta(days=1))
        if self.kind == "week":
            return Period("week", self.start + timedelta(days=7))
        return Period(self.kind, _add_months(self.start, 1 if self.kind == "month" else 3))

    def previous(self) -> "Period":
        if self.kind == "day":
            return Period("day", self.start - timedelta(days=1))
        if self.kind == "week":
            return Period("week", self.start - timedelta(days=7))
        return Period(self.kind, _add_months(self.start, -1 if self.kind == "month" else -3))

    def dates(self) -> list[date]:
        """Every day in the period, in order."""
        return [self.start + timedelta(days=n) for n in range(self.days)]

    @property
    def label(self) -> str:
        """The period as a heading says it: "2 November 2026", "Week beginning 2 November
        2026", "November 2026", "July to September 2026"."""
        if self.kind == "day":
            return _day(self.start)
        if self.kind == "week":
            return f"Week beginning {_day(self.start)}"
        if self.kind == "month":
            return self.start.strftime("%B %Y")
        last = calendar.month_name[self.end.month]
        return f"{calendar.month_name[self.start.month]} to {last} {self.start.year}"

    def __str__(self) -> str:
        return self.label
