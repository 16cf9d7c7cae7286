"""The submissions app's public API for other apps.

Other apps import this module, `porth.submissions.models` (for relations, type hints and
reading rows) and `porth.submissions.signals` (the `submitted` signal); nothing else of
submissions. A `protected` import-linter contract (pyproject.toml) checks it.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from . import assisted, save_views, store
from .actions import read_answers
from .erasure import (
    count_abandoned_journeys,
    count_submissions,
    erase_abandoned_journeys,
    erase_submissions,
    journeys_idle_before,
    next_abandoned_journeys,
    next_to_erase,
    to_erase,
)
from .models import Channel, Journey
from .prefill import Prefilled, Prefiller
from .prefill import register as register_prefiller
from .views import SESSION_KEY

__all__ = [
    "Prefilled",
    "Prefiller",
    "SentOnline",
    "count_abandoned_journeys",
    "count_submissions",
    "erase_abandoned_journeys",
    "erase_submissions",
    "journeys_idle_before",
    "journeys_in_progress",
    "next_abandoned_journeys",
    "next_to_erase",
    "open_here",
    "read_answers",
    "register_prefiller",
    "sent_online",
    "to_erase",
]


@dataclass(frozen=True)
class SentOnline:
    """A journey a citizen sent online from this browser."""

    journey_id: str
    reference: str
    channel: str


def sent_online(request: HttpRequest, slug: str) -> SentOnline | None:
    """The submission this browser's own journey through the service made, if it has been
    sent (the journey the confirmation page shows): for the pages that follow it, such as
    the satisfaction question. None when nothing was sent, and in assisted mode, where the
    browser is a member of staff's and the journey the citizen's."""
    try:
        if assisted.mode(request, slug) is not None:
            return None
    except assisted.Stopped:
        return None
    journey_id = request.session.get(SESSION_KEY, {}).get(slug)
    if not journey_id:
        return None
    sent = store.sent(journey_id)
    if sent is None or sent.channel != Channel.ONLINE:
        return None
    return SentOnline(journey_id, sent.reference, sent.channel)


def journeys_in_progress(citizen_id: int) -> list[Journey]:
    """The journeys a signed-in citizen started and has not sent, most recently saved first,
    without their answers: those a journey page would still open (not left idle longer than
    PORTH_JOURNEY_IDLE_DAYS, unless saved for later and its link not yet expired). One query."""
    now = timezone.now()
    idle_before = now - timedelta(days=settings.PORTH_JOURNEY_IDLE_DAYS)
    return list(
        Journey.objects.filter(
            citizen_id=citizen_id, submitted_at__isnull=True, assisted_by__isnull=True
        )
        .filter(Q(updated_at__gte=idle_before) | Q(keep_until__gt=now))
        .defer("state")
        .order_by("-updated_at", "pk")
    )


def open_here(request: HttpRequest, journey_id: str) -> HttpResponse | None:
    """Take the journey up in this browser, wherever it was started: a redirect to its first
    page not yet answered, or None if it has been sent or deleted meanwhile. The caller
    decides who may (porth.applications: only the signed-in citizen whose journey it is)."""
    journey = store.open_journey(journey_id)
    if journey is None or journey.assisted_by_id is not None:
        return None
    return save_views.open_here(request, journey, reason="replaced by a signed-in journey")
