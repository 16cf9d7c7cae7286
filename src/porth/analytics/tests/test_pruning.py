"""Raw events go after PORTH_ANALYTICS_RAW_DAYS once counted; the rollups stay."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from porth import retention
from porth.analytics import pruning, rollups
from porth.analytics.models import Count, Event, Progress
from porth.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SERVICE = "apply-for-a-permit"


def event(age: timedelta, kind: str = "saved", journey: int = 1) -> Event:
    return Event.objects.create(
        at=timezone.now() - age, service=SERVICE, kind=kind, journey=journey, channel="online"
    )


def test_old_counted_events_go_and_their_counts_stay(settings: Any) -> None:
    settings.PORTH_ANALYTICS_RAW_DAYS = 90
    old = [event(timedelta(days=100)) for _ in range(3)]
    young = event(timedelta(days=10))
    rollups.roll_up()
    assert pruning.count_due(timezone.now())["analytics events"] == 3
    assert pruning.prune(timezone.now(), batch_size=2)["analytics events"] == 3
    assert list(Event.objects.all()) == [young]
    assert sum(Count.objects.filter(metric="saved").values_list("value", flat=True)) == 4
    assert not Event.objects.filter(pk__in=[e.pk for e in old]).exists()


def test_events_not_yet_counted_are_kept_however_old() -> None:
    event(timedelta(days=400))
    assert pruning.prune(timezone.now())["analytics events"] == 0
    assert Event.objects.count() == 1
    rollups.roll_up()
    assert pruning.prune(timezone.now())["analytics events"] == 1


def test_progress_goes_a_day_after_submission_or_when_no_journey_can_come_back(
    settings: Any,
) -> None:
    settings.PORTH_JOURNEY_IDLE_DAYS = 7
    settings.PORTH_SAVE_DAYS = 28
    event(timedelta(days=2), "submitted", journey=1)
    event(timedelta(hours=2), "submitted", journey=2)
    event(timedelta(days=36), "saved", journey=3)
    event(timedelta(days=20), "saved", journey=4)
    rollups.roll_up()
    assert pruning.prune(timezone.now())["journey progress"] == 2
    assert sorted(Progress.objects.values_list("journey", flat=True)) == [2, 4]


def test_the_daily_retention_run_prunes_and_says_so(settings: Any) -> None:
    settings.PORTH_ANALYTICS_RAW_DAYS = 30
    event(timedelta(days=31))
    rollups.roll_up()
    plan = retention.plan()
    assert plan.analytics["analytics events"] == 1
    assert "Performance data" in retention.describe(plan)
    report = retention.run()
    assert report.analytics["analytics events"] == 1
    assert not Event.objects.exists()
    entry = AuditEvent.objects.get(action="retention.analytics_pruned")
    assert entry.data["analytics_events"] == 1
