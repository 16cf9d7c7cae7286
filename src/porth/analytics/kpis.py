"""A service's figures for a period: the four KPIs, times and patterns (the funnel, errors and
casework throughput are worked out in usage.py).

Read from the rollups, never from raw events: a quarter of one service is four indexed
queries whatever the traffic (the sums by dimension from MonthCount, the completions by day
and channel from Count, the costs entered, the overdue cases), each on the leading columns of
an index (the unique constraints start with service and day or month). Dashboards and exports
read only the dataclasses of figures.py.

The KPIs are those of the GOV.UK Service Manual ("Measuring success"), defined in
docs/analytics.md; transactions and digital take-up are always across every channel, since
take-up compares channels, while the other figures follow the channel asked for.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from porth.casework import service as casework
from porth.services import service as services
from porth.submissions.models import Channel

from . import costs as costing
from .buckets import quantile
from .figures import (
    Durations,
    Figures,
    Kpis,
    Ratio,
    Sums,
)
from .models import DIMENSIONS, Cost, Count, MonthCount
from .periods import Period
from .usage import errors, funnel, throughput

CHANNELS = [c.value for c in Channel]
DIGITAL = {Channel.ONLINE.value, Channel.ASSISTED.value}
DEVICES = ["mobile", "tablet", "desktop", "other"]


def _in_period(period: Period) -> Q:
    return Q(day__gte=period.start, day__lte=period.end)


def _rows(period: Period, **where: object) -> "list[QuerySet[Count] | QuerySet[MonthCount]]":
    """The rows that add up to the period: whole calendar months from MonthCount (a quarter
    is three rows a breakdown, not ninety), the days left over (a week) from Count."""
    months = []
    month = Period.containing("month", period.start)
    while month.start <= period.end:
        if month.start >= period.start and month.end <= period.end:
            months.append(month)
        month = month.next()
    found: list[QuerySet[Count] | QuerySet[MonthCount]] = []
    if months:
        span = Q(month__gte=months[0].start, month__lte=months[-1].start)
        found.append(MonthCount.objects.filter(span, **where))
    ranges = [(period.start, period.end)]
    if months:
        before = (period.start, months[0].start - timedelta(days=1))
        ranges = [before, (months[-1].end + timedelta(days=1), period.end)]
    for first, last in ranges:
        if first <= last:
            found.append(Count.objects.filter(day__gte=first, day__lte=last, **where))
    return found


def _sums(service: str, period: Period, channel: str | None) -> Sums:
    sums = Sums()
    for rows in _rows(period, service=service):
        if channel:
            # Views before a journey exists have no channel: they are online.
            visits = Q(metric="visits") if channel == Channel.ONLINE else Q(pk__in=[])
            rows = rows.filter(Q(channel=channel) | visits)
        for row in rows.values("metric", *DIMENSIONS).annotate(n=Sum("value")).order_by():
            dims = tuple(row[name] for name in DIMENSIONS)
            sums.add(row["metric"], dims, row["n"])
    return sums


def _completed_by_day(
    services_: list[str], period: Period
) -> dict[str, dict[tuple[date, str], int]]:
    rows = (
        Count.objects.filter(_in_period(period), service__in=services_, metric="completed")
        .values_list("service", "day", "channel")
        .annotate(n=Sum("value"))
        .order_by()
    )
    found: dict[str, dict[tuple[date, str], int]] = defaultdict(dict)
    for service, day, channel, n in rows:
        found[service][(day, channel)] = n
    return found


def kpis_from(
    *,
    started: int,
    completed: int,
    by_day: dict[tuple[date, str], int],
    ratings: Counter[int],
    cost_rows: list[Cost],
    per_transaction: dict[str, Decimal],
    period: Period,
    channel: str | None,
) -> Kpis:
    """The KPIs from their parts (shared by `figures`, `overview` and the tests' direct
    computation)."""
    transactions = dict.fromkeys(CHANNELS, 0)
    for (_, ch), n in by_day.items():
        transactions[ch] = transactions.get(ch, 0) + n
    all_channels = sum(transactions.values())
    digital = sum(n for ch, n in transactions.items() if ch in DIGITAL)
    rated = {r: ratings.get(r, 0) for r in range(1, 6)}
    responses = sum(rated.values())
    score = None
    if responses:
        mean = sum(r * n for r, n in rated.items()) / responses
        score = (mean - 1) / 4
    costs = costing.by_channel(
        cost_rows, per_transaction, by_day, period, [channel] if channel else CHANNELS
    )
    total = sum(costs.values(), Decimal(0)) if costs else None
    per = (total / completed).quantize(costing.PENNY) if total is not None and completed else None
    return Kpis(
        started=started,
        completed=completed,
        completion_rate=Ratio(completed, started),
        transactions=transactions,
        digital_take_up=Ratio(digital, all_channels),
        ratings=rated,
        satisfied=Ratio(rated[4] + rated[5], responses),
        satisfaction_score=score,
        costs=costs,
        total_cost=total,
        cost_per_transaction=per,
    )


def _costs_of(service: str) -> dict[str, Decimal]:
    definition = services.get(service)
    return dict(definition.costs) if definition else {}


def _ratings(sums: Sums) -> Counter[int]:
    return Counter({int(b): n for b, n in sums.by_one("rating", "bucket").items()})


def figures(service: str, period: Period, *, channel: str | None = None) -> Figures:
    """Every figure of one service for one period (of one channel if given)."""
    sums = _sums(service, period, channel)
    by_day = _completed_by_day([service], period)[service]
    cost_rows = costing.entered([service], period)
    overdue = casework.overdue_by_queue(service, channel=channel)
    return assemble(service, period, channel, sums, by_day, cost_rows, overdue)


def assemble(
    service: str,
    period: Period,
    channel: str | None,
    sums: Sums,
    by_day: dict[tuple[date, str], int],
    cost_rows: list[Cost],
    overdue: dict[str, int],
) -> Figures:
    """Figures from the period's sums (what `figures` read; tests build them directly)."""
    completed = sums.total("completed")
    kpis = kpis_from(
        started=sums.total("started"),
        completed=completed,
        by_day=by_day,
        ratings=_ratings(sums),
        cost_rows=cost_rows,
        per_transaction=_costs_of(service),
        period=period,
        channel=channel,
    )
    weekdays = [0] * 7
    for (day, ch), n in by_day.items():
        if channel is None or ch == channel:
            weekdays[day.weekday()] += n
    hours = sums.by_one("completed_hour", "bucket")
    devices = dict.fromkeys(DEVICES, 0)
    for device, n in sums.by_one("started", "device").items():
        key = device if device in devices else "other"
        devices[str(key)] += n
    times = Counter({int(b): n for b, n in sums.by_one("duration", "bucket").items()})
    return Figures(
        service=service,
        period=period,
        channel=channel,
        kpis=kpis,
        funnel=funnel(service, sums, completed),
        errors=errors(service, sums),
        durations=Durations(sum(times.values()), quantile(times, 0.5), quantile(times, 0.9)),
        by_hour=[hours.get(h, 0) for h in range(24)],
        by_weekday=weekdays,
        devices=devices,
        saved=sums.total("saved"),
        resumed=sums.total("resumed"),
        changes=sums.total("changes"),
        backs=sums.total("backs"),
        casework=throughput(sums, overdue),
    )


def overview(services_: Iterable[str], period: Period) -> dict[str, Kpis]:
    """The KPIs of many services for one period, in two or three queries whatever their
    number (one more for a period of part months)."""
    slugs = sorted(set(services_))
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    ratings: dict[str, Counter[int]] = defaultdict(Counter)
    # Without entered costs a channel's cost is its rate times its transactions, whatever the
    # day: its period's total will do (put on the first day), read with the other totals.
    by_day: dict[str, dict[tuple[date, str], int]] = defaultdict(dict)
    metrics = ["started", "completed", "rating"]
    for rows in _rows(period, service__in=slugs, metric__in=metrics):
        grouped = rows.values_list("service", "metric", "channel", "bucket")
        for service, metric, channel, bucket, n in grouped.annotate(n=Sum("value")).order_by():
            totals[service][metric] += n
            if metric == "rating":
                ratings[service][bucket] += n
            elif metric == "completed":
                key = (period.start, channel)
                by_day[service][key] = by_day[service].get(key, 0) + n
    cost_rows = costing.entered(slugs, period)
    costed = sorted({row.service for row in cost_rows})
    if costed:  # spans entered: which days they cover matters
        by_day.update(_completed_by_day(costed, period))
    return {
        slug: kpis_from(
            started=totals[slug]["started"],
            completed=totals[slug]["completed"],
            by_day=by_day.get(slug, {}),
            ratings=ratings[slug],
            cost_rows=[row for row in cost_rows if row.service == slug],
            per_transaction=_costs_of(slug),
            period=period,
            channel=None,
        )
        for slug in slugs
    }


def daily(
    service: str, period: Period, metric: str, *, channel: str | None = None
) -> list[tuple[date, int]]:
    """One metric's total on each day of the period (0 on a day without any): trend lines."""
    rows = Count.objects.filter(_in_period(period), service=service, metric=metric)
    if channel:
        rows = rows.filter(channel=channel)
    found = dict(rows.values_list("day").annotate(n=Sum("value")).order_by())
    return [(day, found.get(day, 0)) for day in period.dates()]
