"""Figures as the tables a dashboard shows and exports: one mapping, so that the page, its
charts, the CSV and the JSON cannot disagree.

A `Table` holds raw values, each with its kind (a count, a share, money, seconds); `show`
words a value for the page and `raw` gives it to an export.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, cast

from markupsafe import Markup

from . import charts
from .figures import Figures, Kpis, Ratio
from .params import CHANNELS

ValueKind = Literal["text", "count", "share", "money", "seconds", "score", "number"]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEVICES = {"mobile": "Mobile", "tablet": "Tablet", "desktop": "Desktop", "other": "Other"}
RATINGS = {
    5: "Very satisfied",
    4: "Satisfied",
    3: "Neither satisfied or dissatisfied",  # GOV.UK's words, as the question asks
    2: "Dissatisfied",
    1: "Very dissatisfied",
}
NO_DATA = "No data"


@dataclass(frozen=True)
class Cell:
    value: Any
    kind: ValueKind = "count"
    href: str | None = None  # the page shows the value as a link


@dataclass(frozen=True)
class Table:
    key: str  # names the table in exports, and its element on the page
    caption: str
    head: list[str]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    table: Table
    chart: Markup | None = None
    notes: list[str] = field(default_factory=list)
    fold: bool = False  # a long table of a chart (each day, each hour), shown on request


def raw(cell: Cell) -> str | int | float | None:
    """A value for an export: numbers as numbers, shares as fractions (4 places), money as
    pounds and pence, nothing as None."""
    value = cell.value
    if isinstance(value, Ratio):
        value = value.value
    if value is None:
        return None
    if cell.kind == "money":
        return str(Decimal(value).quantize(Decimal("0.01")))
    if cell.kind in {"share", "score"}:
        return round(float(value), 4)
    if cell.kind == "seconds":
        return round(float(value))
    return value


def show(cell: Cell) -> str:
    """A value as the page words it."""
    value = raw(cell)
    if value is None:
        return NO_DATA
    if cell.kind == "count":
        return f"{value:,}"
    if cell.kind == "share":
        return f"{float(value) * 100:.1f}%"
    if cell.kind == "score":
        return f"{float(value) * 100:.0f} out of 100"
    if cell.kind == "money":
        return f"£{Decimal(str(value)):,.2f}"
    if cell.kind == "seconds":
        return duration(float(value))
    return str(value)


def duration(seconds: float) -> str:
    """4 min 30 s; 2 h 5 min; 3 days 4 h."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    if whole < 86400:
        return f"{whole // 3600} h {whole % 3600 // 60} min"
    return f"{whole // 86400} days {whole % 86400 // 3600} h"


def share(part: float, whole: float) -> Ratio:
    return Ratio(part, whole)


# --- The sections of a service dashboard ----------------------------------------------------


def kpi_rows(kpis: Kpis, previous: Kpis) -> list[list[Cell]]:
    """The four KPIs, and the figures each is made of, against the previous period."""
    return [
        [Cell(label, "text"), Cell(now, cast(ValueKind, kind)), Cell(before, cast(ValueKind, kind))]
        for label, now, before, kind in (
            ("Completion rate", kpis.completion_rate, previous.completion_rate, "share"),
            ("Journeys started", kpis.started, previous.started, "count"),
            ("Journeys completed", kpis.completed, previous.completed, "count"),
            ("Digital take-up", kpis.digital_take_up, previous.digital_take_up, "share"),
            (
                "User satisfaction (satisfied or very satisfied)",
                kpis.satisfied,
                previous.satisfied,
                "share",
            ),
            ("Satisfaction score", kpis.satisfaction_score, previous.satisfaction_score, "score"),
            (
                "Cost per transaction",
                kpis.cost_per_transaction,
                previous.cost_per_transaction,
                "money",
            ),
            ("Total cost", kpis.total_cost, previous.total_cost, "money"),
        )
    ]


def sections(
    figures: Figures,
    previous: Figures,
    *,
    trend: Sequence[tuple[Any, int]] = (),
    queue_names: Mapping[str, str] | None = None,
) -> list[Section]:
    kpis, before = figures.kpis, previous.kpis
    head = ["Measure", figures.period.label, previous.period.label]
    out = [
        Section(
            "kpis",
            "The four key performance indicators",
            Table("kpis", "Key performance indicators", head, kpi_rows(kpis, before)),
        ),
        _channels(figures, previous),
    ]
    if trend and len(trend) > 1:
        labels = [day.strftime("%-d %b") for day, _ in trend]
        values = [value for _, value in trend]
        out.append(
            Section(
                "trend",
                "Completed each day",
                Table(
                    "trend",
                    "Journeys completed each day",
                    ["Day", "Completed"],
                    [[Cell(day.isoformat(), "text"), Cell(n)] for day, n in trend],
                ),
                charts.columns(
                    "Journeys completed each day",
                    labels,
                    values,
                    label_every=max(1, len(values) // 8),
                ),
                fold=True,
            )
        )
    out += [
        _funnel(figures),
        _errors(figures),
        _durations(figures, previous),
        _by_hour(figures),
        _by_weekday(figures),
        _devices(figures),
        _activity(figures, previous),
        _ratings(figures),
        _costs(figures),
        _casework(figures, queue_names or {}),
    ]
    return out


def _channels(figures: Figures, previous: Figures) -> Section:
    names = list(CHANNELS)
    now = [figures.kpis.transactions.get(c, 0) for c in names]
    before = [previous.kpis.transactions.get(c, 0) for c in names]
    total = sum(now)
    rows = [
        [Cell(CHANNELS[c], "text"), Cell(n), Cell(share(n, total), "share"), Cell(b)]
        for c, n, b in zip(names, now, before, strict=True)
    ]
    head = ["Channel", "Completed", "Share", previous.period.label]
    return Section(
        "channels",
        "Transactions by channel",
        Table("channels", "Completed transactions by channel", head, rows),
        charts.bars("Completed transactions by channel", [CHANNELS[c] for c in names], now),
        ["Digital take-up counts online and assisted digital transactions."],
    )


def _funnel(figures: Figures) -> Section:
    steps = figures.funnel
    rows = [
        [
            Cell(s.title, "text"),
            Cell(s.reached),
            Cell(s.answered),
            Cell(s.left),
            Cell(s.drop_off, "share"),
        ]
        for s in steps
    ]
    head = ["Page", "Journeys that reached it", "Went on", "Left here", "Drop-off"]
    notes = [
        "Drop-off counts only the journeys whose route reached the page, so a page that "
        "some answers skip does not look abandoned."
    ]
    if steps and steps[0].visits:
        notes.append(f"{steps[0].visits:,} views of the first page before an answer was saved.")
    chart = (
        charts.bars(
            "Journeys that reached each page", [s.title for s in steps], [s.reached for s in steps]
        )
        if steps
        else None
    )
    return Section(
        "funnel", "Pages and drop-off", Table("funnel", "Funnel", head, rows), chart, notes
    )


def _errors(figures: Figures) -> Section:
    rows = [
        [
            Cell(e.label or e.field, "text"),
            Cell(e.message, "text"),
            Cell(e.count),
            Cell(e.journeys_on_page),
        ]
        for e in figures.errors
    ]
    head = ["Question", "Message shown", "Times shown", "Journeys that reached the page"]
    return Section(
        "errors",
        "Questions with the most errors",
        Table("errors", "Validation errors, most first", head, rows),
    )


def _durations(figures: Figures, previous: Figures) -> Section:
    d, p = figures.durations, previous.durations
    rows = [
        [Cell("Completed journeys timed", "text"), Cell(d.count), Cell(p.count)],
        [
            Cell("Median time to complete", "text"),
            Cell(d.median, "seconds"),
            Cell(p.median, "seconds"),
        ],
        [Cell("90% completed within", "text"), Cell(d.p90, "seconds"), Cell(p.p90, "seconds")],
    ]
    head = ["Measure", figures.period.label, previous.period.label]
    return Section(
        "durations", "Time to complete", Table("durations", "Time to complete", head, rows)
    )


def _by_hour(figures: Figures) -> Section:
    labels = [f"{hour:02}:00" for hour in range(24)]
    rows = [
        [Cell(label, "text"), Cell(n)] for label, n in zip(labels, figures.by_hour, strict=True)
    ]
    return Section(
        "by_hour",
        "Completions by hour of the day",
        Table("by_hour", "Journeys completed by hour of the day", ["Hour", "Completed"], rows),
        charts.columns(
            "Journeys completed by hour of the day", labels, figures.by_hour, label_every=3
        ),
        fold=True,
    )


def _by_weekday(figures: Figures) -> Section:
    rows = [[Cell(d, "text"), Cell(n)] for d, n in zip(WEEKDAYS, figures.by_weekday, strict=True)]
    return Section(
        "by_weekday",
        "Completions by day of the week",
        Table("by_weekday", "Journeys completed by day of the week", ["Day", "Completed"], rows),
        charts.columns(
            "Journeys completed by day of the week", [d[:3] for d in WEEKDAYS], figures.by_weekday
        ),
    )


def _devices(figures: Figures) -> Section:
    total = sum(figures.devices.values())
    keys = [k for k in DEVICES if k in figures.devices] + sorted(
        set(figures.devices) - set(DEVICES)
    )
    labels = [DEVICES.get(k, k.title()) for k in keys]
    values = [figures.devices[k] for k in keys]
    rows = [
        [Cell(label, "text"), Cell(n), Cell(share(n, total), "share")]
        for label, n in zip(labels, values, strict=True)
    ]
    return Section(
        "devices",
        "Devices",
        Table("devices", "Journeys started by device", ["Device", "Started", "Share"], rows),
        charts.bars("Journeys started by device", labels, values),
        ["From the browser's description of itself: no fingerprinting."],
    )


def _activity(figures: Figures, previous: Figures) -> Section:
    rows = [
        [Cell(label, "text"), Cell(getattr(figures, name)), Cell(getattr(previous, name))]
        for label, name in (
            ("Saved for later", "saved"),
            ("Resumed", "resumed"),
            ("Went back to an answered page", "backs"),
            ("Used a change link", "changes"),
        )
    ]
    head = ["What people did", figures.period.label, previous.period.label]
    return Section(
        "activity",
        "Saving, returning and changing answers",
        Table("activity", "Saving, returning and changing answers", head, rows),
    )


def _ratings(figures: Figures) -> Section:
    ratings = figures.kpis.ratings
    total = sum(ratings.values())
    rows = [
        [
            Cell(label, "text"),
            Cell(ratings.get(r, 0)),
            Cell(share(ratings.get(r, 0), total), "share"),
        ]
        for r, label in RATINGS.items()
    ]
    return Section(
        "ratings",
        "Satisfaction",
        Table("ratings", "Satisfaction ratings", ["Rating", "Responses", "Share"], rows),
        charts.bars(
            "Satisfaction ratings", list(RATINGS.values()), [ratings.get(r, 0) for r in RATINGS]
        ),
    )


def _costs(figures: Figures) -> Section:
    kpis = figures.kpis
    rows = [
        [
            Cell(CHANNELS[c], "text"),
            Cell(kpis.transactions.get(c, 0)),
            Cell(kpis.costs.get(c), "money"),
        ]
        for c in CHANNELS
    ]
    rows.append(
        [Cell("All channels", "text"), Cell(kpis.completed), Cell(kpis.total_cost, "money")]
    )
    return Section(
        "costs",
        "Costs",
        Table("costs", "Costs by channel", ["Channel", "Completed", "Cost"], rows),
        notes=[
            "A channel's cost is what was entered for the period, spread evenly over its days; "
            "where none was entered, the service definition's cost per transaction times the "
            "transactions."
        ],
    )


def _casework(figures: Figures, names: Mapping[str, str]) -> Section:
    rows = [
        [
            Cell(names.get(q.queue, q.queue), "text"),
            Cell(q.opened),
            Cell(q.decided),
            Cell(q.overdue),
            Cell(q.median_to_decision, "seconds"),
        ]
        for q in figures.casework
    ]
    head = ["Queue", "Cases opened", "Decided", "Overdue now", "Median time to decision"]
    return Section("casework", "Casework", Table("casework", "Casework by queue", head, rows))
