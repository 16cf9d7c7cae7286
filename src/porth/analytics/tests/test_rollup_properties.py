"""The figures read from the rollups are exactly those computed straight from the events,
whatever the journeys did (branches, errors, back and change, saving, abandoning), however the
roll-up split its work, and while the lag holds the newest events back."""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from porth.analytics import kpis
from porth.analytics.models import Count, Event, MonthCount, Progress, RollupState
from porth.analytics.periods import Period
from porth.analytics.rollups import roll_up
from porth.services import registry

from . import direct
from .streams import SLUG, stream, write_service

pytestmark = pytest.mark.django_db

PERIODS = [
    Period("month", date(2026, 3, 1)),
    Period("month", date(2026, 4, 1)),
    Period.containing("week", date(2026, 3, 29)),  # the clocks go forward
    Period("quarter", date(2026, 1, 1)),
    Period("day", date(2026, 3, 29)),
]
CHANNEL_FILTERS = [None, "online", "phone"]


@pytest.fixture
def service(tmp_path: Path, settings: Any) -> Any:
    settings.PORTH_SERVICES_DIR = tmp_path
    write_service(tmp_path)
    yield
    registry.reload()


def _fresh() -> None:
    for model in (Event, Count, MonthCount, Progress, RollupState):
        model.objects.all().delete()


def _written(events: list[Event]) -> list[Event]:
    Event.objects.bulk_create(events)
    return list(Event.objects.order_by("id"))


def _agree(events: list[Event], periods: list[Period], channels: list[str | None]) -> None:
    for period in periods:
        for channel in channels:
            expected = direct.figures(events, SLUG, period, channel)
            assert kpis.figures(SLUG, period, channel=channel) == expected, (period, channel)


SETTINGS = hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(events=stream(), splits=st.lists(st.integers(1, 40), max_size=6))
def test_figures_from_rollups_equal_figures_from_events(
    service: Any, events: list[Event], splits: list[int]
) -> None:
    _fresh()
    events = _written(events)
    for limit in splits:
        roll_up(limit=limit)
    roll_up()
    _agree(events, PERIODS, CHANNEL_FILTERS)


@SETTINGS
@given(
    events=stream(),
    splits=st.lists(st.integers(1, 40), max_size=4),
    pivot=st.floats(0, 1),
    lag=st.sampled_from([0, 30, 3600]),
)
def test_the_lag_holds_back_only_the_newest_events_and_nothing_is_lost(
    service: Any, settings: Any, events: list[Event], splits: list[int], pivot: float, lag: int
) -> None:
    """Run as if "now" were `lag` seconds after some event: only the events up to it are
    counted, the figures are exactly theirs; later runs count the rest, once."""
    _fresh()
    events = _written(events)
    settings.PORTH_ANALYTICS_LAG = lag
    if not events:
        assert roll_up() == 0
        return
    held_at = events[int(pivot * (len(events) - 1))].at
    now = held_at + timedelta(seconds=lag)
    for limit in splits:
        roll_up(limit=limit, now=now)
    roll_up(now=now)
    counted = [e for e in events if e.at <= held_at]  # written in time order
    assert RollupState.objects.get().last_id == counted[-1].id
    _agree(counted, PERIODS[:2], [None])
    roll_up(now=events[-1].at + timedelta(seconds=lag))
    assert roll_up(now=events[-1].at + timedelta(days=1)) == 0
    _agree(events, PERIODS[:2], [None, "online"])
