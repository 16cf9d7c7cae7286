"""Keeping answers to the satisfaction question, and reading the comments back."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import QuerySet

from porth.analytics import satisfaction
from porth.analytics.models import Event, Feedback
from porth.analytics.recorder import journey_key
from porth.analytics.service import Comment, comments

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def _rate(journey: str, rating: int = 5, comment: str = "", service: str = "a-service") -> bool:
    return satisfaction.rate(
        service,
        journey_id=journey,
        rating=rating,
        comment=comment,
        channel="online",
        language="en",
    )


def test_an_answer_is_kept_once_per_journey_with_its_event() -> None:
    assert _rate("journey-1", 4, "Fine")
    assert not _rate("journey-1", 1, "Second thoughts")
    assert Feedback.objects.get().rating == 4
    assert list(Event.objects.values_list("kind", "value")) == [("rated", 4)]


def test_the_comment_is_stored_screened_and_trimmed() -> None:
    _rate("journey-1", 2, "  Ring 07911 123456  ")
    assert Feedback.objects.get().comment == "Ring [phone number removed]"


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_only_the_five_points_are_ratings(rating: int) -> None:
    with pytest.raises(ValueError):
        _rate("journey-1", rating)
    assert not Feedback.objects.exists()


def _at(
    journey: str, when: datetime, rating: int, comment: str, service: str = "a-service"
) -> None:
    _rate(journey, rating, comment, service)
    Feedback.objects.filter(journey=journey_key(journey)).update(at=when)


def test_comments_are_the_periods_newest_first_without_empty_ones() -> None:
    """Days are local days (settings.TIME_ZONE, Europe/London)."""
    _at("j1", datetime(2026, 3, 1, 0, 30, tzinfo=LONDON), 5, "First day, just after midnight")
    _at("j2", datetime(2026, 3, 15, 12, 0, tzinfo=LONDON), 1, "Middle")
    _at("j3", datetime(2026, 3, 20, 12, 0, tzinfo=LONDON), 3, "")
    _at("j4", datetime(2026, 3, 31, 23, 59, tzinfo=LONDON), 4, "Last day, just before midnight")
    _at("j5", datetime(2026, 4, 1, 0, 1, tzinfo=LONDON), 2, "Next month")
    _at("j6", datetime(2026, 3, 10, 12, 0, tzinfo=LONDON), 2, "Another service", "other")
    found = comments("a-service", date(2026, 3, 1), date(2026, 3, 31))
    assert [(c.rating, c.text) for c in found] == [
        (4, "Last day, just before midnight"),
        (1, "Middle"),
        (5, "First day, just after midnight"),
    ]
    assert all(isinstance(c, Comment) for c in found)


def test_comments_stop_at_the_limit() -> None:
    for i in range(5):
        _rate(f"journey-{i}", 3, f"Comment {i}")
    assert len(comments("a-service", date(2000, 1, 1), date(2100, 1, 1), limit=3)) == 3


def test_two_answers_at_the_same_moment_keep_the_first_and_count_it_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two tabs posting together both pass the first check; the database keeps one."""
    assert _rate("journey-1", 4)
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    assert not _rate("journey-1", 1)
    assert Feedback.objects.get().rating == 4
    assert Event.objects.filter(kind="rated").count() == 1  # the second rolled back
