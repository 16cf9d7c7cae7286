"""The figures of a service for a period, as dashboards and exports read them (kpis.py fills
them from the rollups; tests/direct.py from raw events, to check it), and the sums of the
rollups they are made from."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from .models import DIMENSIONS
from .periods import Period


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
        index = [DIMENSIONS.index(name) for name in names]
        found: Counter[tuple[str | int, ...]] = Counter()
        for dims, n in self.rows[metric].items():
            found[tuple(dims[i] for i in index)] += n
        return found

    def by_one(self, metric: str, name: str) -> Counter[str | int]:
        return Counter({key[0]: n for key, n in self.by(metric, name).items()})
