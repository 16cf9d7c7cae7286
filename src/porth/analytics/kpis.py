"""A service's figures for a period: the four KPIs, the funnel, errors, times, patterns.

Read from the rollups, never from raw events: a quarter of one service is four indexed
queries whatever the traffic (the sums by dimension from MonthCount, the completions by day
and channel from Count, the costs entered, the overdue cases), each on the leading columns of
an index (the unique constraints start with service and day or month). Dashboards and exports
read only the dataclasses here.

The KPIs are those of the GOV.UK Service Manual ("Measuring success"), defined in
docs/analytics.md; transactions and digital take-up are always across every channel, since
take-up compares channels, while the other figures follow the channel asked for.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from porth.casework import service as casework
from porth.services import service as services
from porth.submissions.models import Channel

from . import costs as costing
from .buckets import quantile
from .models import Cost, Count, MonthCount
from .periods import Period

CHANNELS = [c.value for c in Channel]
DIGITAL = {Channel.ONLINE.value, Channel.ASSISTED.value}
DEVICES = ["mobile", "tablet", "desktop", "other"]
CHECK_ANSWERS = services.CHECK_ANSWERS
TOP_ERRORS = 20


@dataclass(frozen=True)
class Ratio:
    """A share, kept with its parts so that tables can show them."""

    numerator: float
    denominator: float

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True)
class Kpis:
    started: int
    completed: int
    completion_rate: Ratio  # completed / started
    transactions: dict[str, int]  # completed by channel, all four (0s kept), every channel
    digital_take_up: Ratio  # (online + assisted) / all channels
    ratings: dict[int, int]  # 1..5 -> responses
    satisfied: Ratio  # (4 + 5) / responses
    satisfaction_score: float | None  # Performance Platform: (mean rating - 1) / 4
    costs: dict[str, Decimal]  # by channel, where known
    total_cost: Decimal | None  # None when no cost is known for any channel
    cost_per_transaction: Decimal | None  # total_cost / completed, to the penny


@dataclass(frozen=True)
class FunnelStep:
    page: str
    title: str  # English page heading (title, or its only question's label)
    kind: str  # question, content, exit or check
    visits: int  # views before a journey existed (the first page; not unique people)
    reached: int  # journeys
    answered: int  # journeys
    left: int  # reached - answered; reached - completed (check); exits (exit pages)
    # (For check answers, `answered` is the journeys that went on to send: reached - left.)
    drop_off: Ratio  # left / reached


@dataclass(frozen=True)
class ErrorRow:
    page: str
    field: str
    label: str  # the question's English label
    message: str  # the message shown (English)
    count: int
    journeys_on_page: int  # journeys that reached the page


@dataclass(frozen=True)
class Durations:
    count: int
    median: float | None  # seconds
    p90: float | None


@dataclass(frozen=True)
class QueueThroughput:
    queue: str
    opened: int
    decided: int
    overdue: int  # open now and past due (not of the period: of today)
    median_to_decision: float | None  # seconds


@dataclass(frozen=True)
class Figures:
    service: str
    period: Period
    channel: str | None
    kpis: Kpis
    funnel: list[FunnelStep]  # definition order, then check answers; pages reached only
    errors: list[ErrorRow]  # most first, top 20
    durations: Durations
    by_hour: list[int]  # 24: completions by local hour
    by_weekday: list[int]  # 7: completions by day of the week, Monday first
    devices: dict[str, int]  # journeys started by device class
    saved: int
    resumed: int
    changes: int
    backs: int
    casework: list[QueueThroughput]


class Sums:
    """Count values summed over the period, by metric and dimensions."""

    def __init__(self) -> None:
        self.rows: dict[str, Counter[tuple[str, str, str, str, str, str, int]]] = defaultdict(
            Counter
        )

    def add(self, metric: str, dims: tuple[str, str, str, str, str, str, int], n: int) -> None:
        self.rows[metric][dims] += n

    def total(self, metric: str) -> int:
        return sum(self.rows[metric].values())

    def by(self, metric: str, *names: str) -> Counter[tuple[str | int, ...]]:
        """Totals of `metric` by the named dimensions (channel, device, page, field, detail,
        variant, bucket)."""
        index = [_DIMS.index(name) for name in names]
        found: Counter[tuple[str | int, ...]] = Counter()
        for dims, n in self.rows[metric].items():
            found[tuple(dims[i] for i in index)] += n
        return found

    def by_one(self, metric: str, name: str) -> Counter[str | int]:
        return Counter({key[0]: n for key, n in self.by(metric, name).items()})


_DIMS = ["channel", "device", "page", "field", "detail", "variant", "bucket"]


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
        for row in rows.values("metric", *_DIMS).annotate(n=Sum("value")).order_by():
            dims = tuple(row[name] for name in _DIMS)
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


def funnel(service: str, sums: Sums, completed: int) -> list[FunnelStep]:
    """The pages in the definition's order, then check answers; those reached or visited.
    Each page's drop-off counts only the journeys that reached it, so a page a branch skips
    is not made to look abandoned. Pages no longer in the definition follow, most reached
    first."""
    reached = sums.by_one("reached", "page")
    answered = sums.by_one("answered", "page")
    visits = sums.by_one("visits", "page")
    exits = sums.by_one("exits", "page")
    definition = services.get(service)
    known: list[tuple[str, str, str]] = []
    if definition is not None:
        known = [(p.id, p.heading("en"), p.kind) for p in definition.pages]
    known.append((CHECK_ANSWERS, "Check your answers", "check"))
    listed = {page for page, _, _ in known}
    others = sorted(
        (p for p in set(reached) | set(visits) if p not in listed),
        key=lambda p: (-reached.get(p, 0), str(p)),
    )
    known += [(str(p), str(p), "exit" if exits.get(p) else "question") for p in others]
    steps = []
    for page, title, kind in known:
        r, v = reached.get(page, 0), visits.get(page, 0)
        if not r and not v:
            continue
        a = answered.get(page, 0)
        if kind == "exit":
            left = exits.get(page, 0)
        elif kind == "check":
            left = max(r - completed, 0)
            a = r - left  # "went on" from check your answers: sent
        else:
            left = max(r - a, 0)
        steps.append(FunnelStep(page, title, kind, v, r, a, left, Ratio(left, r)))
    return steps


def errors(service: str, sums: Sums) -> list[ErrorRow]:
    """The validation errors shown most, with the question and the message."""
    definition = services.get(service)
    reached = sums.by_one("reached", "page")
    rows = []
    for (page, field, detail), n in sums.by("errors", "page", "field", "detail").items():
        label = str(field)
        if definition is not None and field in definition.questions:
            label = definition.questions[str(field)][1].label.get("en")
        rows.append(ErrorRow(str(page), str(field), label, str(detail), n, reached.get(page, 0)))
    rows.sort(key=lambda e: (-e.count, e.page, e.field, e.message))
    return rows[:TOP_ERRORS]


def throughput(sums: Sums, overdue: dict[str, int]) -> list[QueueThroughput]:
    opened = sums.by_one("case_opened", "detail")
    decided = sums.by("case_decided", "detail", "bucket")
    times: dict[str, Counter[int]] = defaultdict(Counter)
    for (queue, bucket), n in decided.items():
        times[str(queue)][int(bucket)] += n
    queues = sorted({str(q) for q in opened} | set(times) | set(overdue))
    return [
        QueueThroughput(
            queue=q,
            opened=opened.get(q, 0),
            decided=sum(times[q].values()),
            overdue=overdue.get(q, 0),
            median_to_decision=quantile(times[q], 0.5),
        )
        for q in queues
    ]


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
