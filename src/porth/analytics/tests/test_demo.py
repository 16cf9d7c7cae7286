"""The demo's performance data: recorded through the recorder, plausible, and made once."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from porth.analytics import demo
from porth.analytics.models import Event
from porth.services import registry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _examples() -> None:
    registry.reload()


def test_the_demo_records_journeys_for_every_example_service_once() -> None:
    now = timezone.now()
    recorded = demo.seed(journeys=40, now=now)
    assert set(recorded) == set(registry.definitions())
    assert Event.objects.count() == sum(recorded.values())
    assert demo.seed(journeys=40, now=now) == {}  # a second run adds nothing
    assert Event.objects.count() == sum(recorded.values())


def test_demo_journeys_look_like_real_ones() -> None:
    now = timezone.now()
    demo.seed(journeys=60, now=now)
    events = Event.objects.filter(service="apply-for-a-blue-badge")
    kinds = set(events.values_list("kind", flat=True))
    assert {
        "page_viewed",
        "page_answered",
        "validation_error",
        "submitted",
        "rated",
        "case_opened",
        "case_decided",
    } <= kinds
    assert events.filter(kind="submitted").count() < events.filter(kind="page_answered").count()
    assert not events.filter(at__gt=now).exists()
    assert events.filter(at__lt=now - timedelta(days=60)).exists()
    journey_events = events.exclude(kind__in=["case_opened", "case_decided"])
    assert not journey_events.filter(channel="").exists()
    assert set(events.values_list("channel", flat=True)) <= {"online", "assisted", "phone", "paper"}
    assert not events.filter(kind="submitted", value__isnull=True).exists()


def test_the_command_says_what_it_recorded(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("performance_demo")
    assert "demo performance events for apply-for-a-blue-badge" in capsys.readouterr().out
