"""The figures computed straight from a list of Event rows (in id order), as plainly as they
can be said: what the rollups must agree with (test_rollup_properties.py).

Not fast and not incremental: every journey's events are looked at together, from the
first, and each figure is a count over them. Costs are only the definition's costs per
transaction (entered costs are tested on their own), and no case is overdue.
"""

import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.conf import settings

from porth.analytics.buckets import bucket_of, quantile
from porth.analytics.figures import (
    Durations,
    ErrorRow,
    Figures,
    FunnelStep,
    Kpis,
    QueueThroughput,
    Ratio,
)
from porth.analytics.kpis import CHANNELS, DEVICES, DIGITAL
from porth.analytics.models import Event
from porth.analytics.periods import Period
from porth.analytics.rollups import day_of
from porth.services import service as services

JOURNEY = {
    "page_viewed", "page_answered", "validation_error", "change_used", "back_used",
    "exit_reached", "saved", "resumed", "submitted",
}  # fmt: skip
REACHING = {"page_viewed", "page_answered", "exit_reached"}


def figures(
    events: Sequence[Event], service: str, period: Period, channel: str | None = None
) -> Figures:
    events = [e for e in events if e.service == service]

    def counted(e: Event) -> bool:
        return period.start <= day_of(e.at) <= period.end and channel in (None, e.channel)

    # Per journey, the events that count once: its first, the first reaching each page, the
    # first answer to it, the first error on it, the first time an exit page is reached.
    journeys: dict[int, list[Event]] = defaultdict(list)
    for e in events:
        if e.journey is not None and e.kind in JOURNEY:
            journeys[e.journey].append(e)
    firsts: list[Event] = []
    reached_first: list[Event] = []
    answered_first: list[Event] = []
    exited_first: list[Event] = []
    for journey in journeys.values():
        firsts.append(journey[0])
        seen: dict[str, set[str]] = defaultdict(set)
        for e in journey:
            if e.kind in REACHING and e.page and e.page not in seen["reached"]:
                seen["reached"].add(e.page)
                reached_first.append(e)
            if e.kind == "page_answered" and e.page not in seen["answered"]:
                seen["answered"].add(e.page)
                answered_first.append(e)
            if e.kind == "exit_reached" and e.page not in seen["exited"]:
                seen["exited"].add(e.page)
                exited_first.append(e)

    def of(kind: str) -> list[Event]:
        return [e for e in events if e.kind == kind and counted(e)]

    submitted = [e for e in of("submitted") if e.journey is not None]
    started = [e for e in firsts if counted(e)]
    reached = Counter(e.page for e in reached_first if counted(e))
    answered = Counter(e.page for e in answered_first if counted(e))
    exits = Counter(e.page for e in exited_first if counted(e))
    visits = Counter(
        e.page
        for e in events
        if e.kind == "page_viewed"
        and e.journey is None
        and period.start <= day_of(e.at) <= period.end
        and channel in (None, "online")
    )

    # KPIs
    transactions = dict.fromkeys(CHANNELS, 0)
    for e in events:
        in_period = period.start <= day_of(e.at) <= period.end
        if e.kind == "submitted" and e.journey is not None and in_period:
            transactions[e.channel] += 1
    ratings = {r: 0 for r in range(1, 6)}
    for e in of("rated"):
        ratings[e.value or 0] += 1
    responses = sum(ratings.values())
    mean = sum(r * n for r, n in ratings.items()) / responses if responses else None
    definition = services.get(service)
    rates = definition.costs if definition else {}
    costs = {
        ch: (rates[ch] * transactions[ch]).quantize(Decimal("0.01"))
        for ch in ([channel] if channel else CHANNELS)
        if ch in rates
    }
    total = sum(costs.values(), Decimal(0)) if costs else None
    kpis = Kpis(
        started=len(started),
        completed=len(submitted),
        completion_rate=Ratio(len(submitted), len(started)),
        transactions=transactions,
        digital_take_up=Ratio(
            sum(n for ch, n in transactions.items() if ch in DIGITAL), sum(transactions.values())
        ),
        ratings=ratings,
        satisfied=Ratio(ratings[4] + ratings[5], responses),
        satisfaction_score=None if mean is None else (mean - 1) / 4,
        costs=costs,
        total_cost=total,
        cost_per_transaction=(
            (total / len(submitted)).quantize(Decimal("0.01"))
            if total is not None and submitted
            else None
        ),
    )

    # The funnel, in the definition's order.
    steps = []
    pages: list[tuple[str, str, str]] = []
    if definition:
        pages = [(p.id, p.heading("en"), p.kind) for p in definition.pages]
    pages.append(("check-answers", "Check your answers", "check"))
    for page, title, kind in pages:
        r = reached[page]
        if not r and not visits[page]:
            continue
        a = answered[page]
        left = {"exit": exits[page], "check": max(r - len(submitted), 0)}.get(kind, max(r - a, 0))
        if kind == "check":
            a = r - left
        steps.append(FunnelStep(page, title, kind, visits[page], r, a, left, Ratio(left, r)))

    error_counts = Counter((e.page, e.field, e.detail) for e in of("validation_error"))
    errors = []
    for (page, field, detail), n in error_counts.items():
        label = definition.questions[field][1].label.get("en") if definition else field
        errors.append(ErrorRow(page, field, label, detail, n, reached[page]))
    errors.sort(key=lambda e: (-e.count, e.page, e.field, e.message))

    times = Counter(bucket_of(e.value) for e in submitted if e.value is not None)
    weekdays = [0] * 7
    hours = [0] * 24
    for e in submitted:
        weekdays[day_of(e.at).weekday()] += 1
        hours[e.at.astimezone(_zone()).hour] += 1
    devices = dict.fromkeys(DEVICES, 0)
    for e in started:
        devices[e.device if e.device in devices else "other"] += 1

    opened = Counter(e.detail for e in of("case_opened"))
    decided: dict[str, Counter[int]] = defaultdict(Counter)
    for e in of("case_decided"):
        decided[e.detail][bucket_of(e.value or 0)] += 1
    queues = sorted(set(opened) | set(decided))
    return Figures(
        service=service,
        period=period,
        channel=channel,
        kpis=kpis,
        funnel=steps,
        errors=errors[:20],
        durations=Durations(sum(times.values()), quantile(times, 0.5), quantile(times, 0.9)),
        by_hour=hours,
        by_weekday=weekdays,
        devices=devices,
        saved=len(of("saved")),
        resumed=len(of("resumed")),
        changes=len(of("change_used")),
        backs=len(of("back_used")),
        casework=[
            QueueThroughput(q, opened[q], sum(decided[q].values()), 0, quantile(decided[q], 0.5))
            for q in queues
        ],
    )


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def days(
    events: Sequence[Event], service: str, period: Period, kind: str
) -> list[tuple[date, int]]:
    """How many events of `kind` on each day of the period."""
    found = Counter(day_of(e.at) for e in events if e.service == service and e.kind == kind)
    return [(d, found[d]) for d in period.dates()]
