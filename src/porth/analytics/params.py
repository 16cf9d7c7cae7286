"""The period and channel a dashboard shows, from its query string (plain GET forms).

`?period=month&start=2026-11-01&channel=online`: `start` may be any day of the period (the
period containing it is shown), so links and bookmarks need no date arithmetic. Bad values
come back as messages for the GOV.UK error summary, never as a 500.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Literal, cast

from django.http import QueryDict

from porth.submissions.models import Channel

from .periods import Period

Kind = Literal["day", "week", "month", "quarter"]
KINDS = {"day": "Day", "week": "Week", "month": "Month", "quarter": "Quarter"}
DEFAULT_KIND: Kind = "month"
CHANNELS = dict(Channel.choices)


@dataclass(frozen=True)
class Choice:
    """What to show. With `errors` (field name -> message), `period` is today's month, for
    the pickers; the page shows the errors and no figures."""

    period: Period
    channel: str | None
    errors: dict[str, str] = field(default_factory=dict)
    # The values as given, to put back in the form.
    given: dict[str, str] = field(default_factory=dict)

    def query(self, period: Period | None = None, **changes: str) -> dict[str, str]:
        """The query string for this choice (or `period`), for links and exports."""
        period = period or self.period
        params = {"period": period.kind, "start": period.start.isoformat()}
        if self.channel:
            params["channel"] = self.channel
        params.update(changes)
        return {key: value for key, value in params.items() if value}


def choose(query: QueryDict, today: date) -> Choice:
    kind = query.get("period", "").strip() or DEFAULT_KIND
    start = query.get("start", "").strip()
    channel = query.get("channel", "").strip()
    given = {"period": kind, "start": start, "channel": channel}
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["period"] = "Choose a day, week, month or quarter"
    period = Period.containing(DEFAULT_KIND, today)
    if start and "period" not in errors:
        try:
            period = Period.parse(kind, start)
        except ValueError:
            errors["start"] = "Enter the start date as a real date, for example 2026-11-01"
        else:
            if period.start > today:
                errors["start"] = "The start date must be today or in the past"
    elif "period" not in errors:
        period = Period.containing(cast(Kind, kind), today)
    if channel and channel not in CHANNELS:
        errors["channel"] = "Choose a channel from the list"
    if errors:
        return Choice(Period.containing(DEFAULT_KIND, today), None, errors, given)
    return Choice(period, channel or None, given=given)
