"""What a service's channels cost over a period, for the cost-per-transaction KPI.

For each day and channel: the cost a service owner entered for a span of days covering it
(the span's amount spread evenly over its days; where two spans cover a day, the one entered
last counts, so a correction replaces what it corrects), else the definition's cost per
transaction for the channel times that day's completed transactions on it, else nothing
known.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from .models import Cost
from .periods import Period

PENNY = Decimal("0.01")


def entered(services: Iterable[str], period: Period) -> list[Cost]:
    """The costs entered for any day of the period (one query on cost_service_day)."""
    return list(
        Cost.objects.filter(
            service__in=list(services), first_day__lte=period.end, last_day__gte=period.start
        ).order_by("entered_at", "id")
    )


def by_channel(
    rows: Sequence[Cost],
    per_transaction: Mapping[str, Decimal],
    completed: Mapping[tuple[date, str], int],
    period: Period,
    channels: Iterable[str],
) -> dict[str, Decimal]:
    """The cost of each channel over the period, in pounds to the penny; a channel appears
    only when some cost of it is known. `rows`: one service's entered costs, oldest entered
    first; `completed`: its transactions by (day, channel)."""
    costs: dict[str, Decimal] = {}
    for channel in channels:
        spans = [row for row in rows if row.channel == channel]
        rate = per_transaction.get(channel)
        total = Decimal(0)
        known = False
        for day in period.dates():
            covering = [row for row in spans if row.first_day <= day <= row.last_day]
            if covering:
                row = covering[-1]
                total += Decimal(row.amount) / ((row.last_day - row.first_day).days + 1)
                known = True
            elif rate is not None:
                total += rate * completed.get((day, channel), 0)
                known = True
        if known:
            costs[channel] = total.quantize(PENNY)
    return costs
