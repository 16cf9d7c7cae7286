"""Overdue cases by queue, for the performance dashboards."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from porth.casework.models import Queue, Status
from porth.casework.service import overdue_by_queue

from .helpers import make_case

pytestmark = pytest.mark.django_db


def test_open_cases_past_due_are_counted_by_queue_and_channel(org: Any) -> None:
    past, future = timezone.now() - timedelta(hours=1), timezone.now() + timedelta(hours=1)
    appeals = Queue.objects.create(organisation=org, slug="appeals", name="Appeals")
    make_case(org, due_at=past)
    make_case(org, due_at=past, status=Status.AWAITING_INFORMATION)
    by_post = make_case(org, due_at=past, queue=appeals)
    by_post.channel = "paper"
    by_post.save(update_fields=["channel"])
    make_case(org, due_at=past, status=Status.REJECTED)  # decided
    make_case(org, due_at=future)
    make_case(org)  # no due date
    make_case(org, due_at=past, service="another-service")
    assert overdue_by_queue("test-service") == {"applications": 2, "appeals": 1}
    assert overdue_by_queue("test-service", channel="paper") == {"appeals": 1}
    assert overdue_by_queue("test-service", now=past - timedelta(hours=1)) == {}
