"""The roll-up: each event counted once, into the day it happened (local time)."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from porth.analytics import recorder, rollups
from porth.analytics.models import Count, Event, Progress, RollupState
from porth.analytics.tasks import roll_up as roll_up_task
from porth.background.service import registered

pytestmark = pytest.mark.django_db

SERVICE = "apply-for-a-permit"
NOON = datetime(2026, 6, 10, 11, 0, tzinfo=UTC)  # 12:00 in London (summer time)


def event(kind: str, *, journey: int | None = 7, at: datetime = NOON, **fields: Any) -> Event:
    fields.setdefault("channel", "online")
    return Event.objects.create(at=at, service=SERVICE, kind=kind, journey=journey, **fields)


def counts(metric: str, **dims: Any) -> int:
    rows = Count.objects.filter(service=SERVICE, metric=metric, **dims)
    return sum(rows.values_list("value", flat=True))


def test_a_page_seen_and_answered_twice_counts_once_for_the_journey() -> None:
    for _ in range(2):
        event("page_viewed", page="name", device="mobile")
        event("page_answered", page="name")
    event("change_used", page="name")
    event("page_viewed", page="name")
    assert rollups.roll_up() == 6
    assert counts("started") == 1
    assert counts("started", device="mobile") == 1
    assert counts("reached", page="name") == 1
    assert counts("answered", page="name") == 1
    assert counts("changes", page="name") == 1


def test_views_before_a_journey_exists_are_visits_not_journeys() -> None:
    event("page_viewed", journey=None, page="start", channel="")
    event("page_viewed", journey=None, page="start", channel="")
    rollups.roll_up()
    assert counts("visits", page="start") == 2
    assert counts("started") == 0
    assert not Progress.objects.exists()


def test_a_journey_is_remembered_between_runs() -> None:
    event("page_answered", page="name", device="tablet")
    rollups.roll_up()
    event("page_answered", page="name")
    event("page_answered", page="age", variant="wording:b")
    event("submitted", value=600)
    rollups.roll_up()
    assert counts("started") == 1
    assert counts("answered") == 2
    # Its device came from the first step; its variant from the page that was in an experiment.
    assert counts("completed", device="tablet", channel="online") == 1
    assert counts("completed_variant", variant="wording:b") == 1
    assert Progress.objects.get().submitted_at == NOON


def test_runs_add_to_the_same_days_counts() -> None:
    event("saved")
    rollups.roll_up()
    event("saved")
    rollups.roll_up()
    row = Count.objects.get(metric="saved")
    assert (row.day, row.value) == (date(2026, 6, 10), 2)


def test_an_event_is_counted_on_its_local_date_and_hour() -> None:
    late = datetime(2026, 6, 10, 23, 30, tzinfo=UTC)  # 00:30 on 11 June in London
    event("submitted", at=late, value=90)
    rollups.roll_up()
    assert Count.objects.get(metric="completed").day == date(2026, 6, 11)
    assert Count.objects.get(metric="completed_hour").bucket == 0


def test_ratings_and_case_events_start_no_journey() -> None:
    event("rated", value=4)
    event("case_opened", journey=None, detail="permits")
    event("case_decided", journey=None, detail="permits", field="approved", value=3600)
    rollups.roll_up()
    assert counts("rating", bucket=4) == 1
    assert counts("case_opened", detail="permits") == 1
    assert counts("case_decided", detail="permits", field="approved") == 1
    assert counts("started") == 0


def test_the_mark_moves_on_and_nothing_is_counted_twice() -> None:
    first = event("saved")
    assert rollups.roll_up() == 1
    assert rollups.roll_up() == 0
    assert RollupState.objects.get().last_id == first.pk
    assert rollups.behind() == 0
    event("saved")
    assert rollups.behind() == 1
    assert rollups.roll_up(limit=5) == 1
    assert counts("saved") == 2


def test_events_newer_than_the_lag_wait_for_the_next_run(settings: Any) -> None:
    settings.PORTH_ANALYTICS_LAG = 30
    event("saved", at=NOON)
    event("saved", at=NOON + timedelta(seconds=20))
    event("saved", at=NOON)  # written after a younger one: held back behind it too
    assert rollups.roll_up(now=NOON + timedelta(seconds=40)) == 1
    assert rollups.roll_up(now=NOON + timedelta(seconds=60)) == 2
    assert counts("saved") == 3


def test_a_limit_splits_the_work_across_runs() -> None:
    for page in ["a", "b", "c", "d", "e"]:
        event("page_answered", page=page)
    assert rollups.roll_up(limit=2) == 2
    assert rollups.roll_up(limit=2) == 2
    assert rollups.roll_up(limit=2) == 1
    assert counts("answered") == 5
    assert counts("started") == 1


def test_recorded_events_are_rolled_up_by_the_periodic_task() -> None:
    recorder.record("saved", SERVICE, journey_id="journey-1", channel="online")
    assert registered()["analytics.roll_up"].task is roll_up_task
    assert roll_up_task.call() == 1
    assert counts("saved") == 1
