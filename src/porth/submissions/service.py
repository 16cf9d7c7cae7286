"""The submissions app's public API for other apps.

Other apps import this module, `porth.submissions.models` (for relations, type hints and
reading rows) and `porth.submissions.signals` (the `submitted` signal); nothing else of
submissions. A `protected` import-linter contract (pyproject.toml) checks it.
"""

from dataclasses import dataclass

from django.http import HttpRequest

from . import assisted, store
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
from .models import Channel
from .views import SESSION_KEY

__all__ = [
    "SentOnline",
    "count_abandoned_journeys",
    "count_submissions",
    "erase_abandoned_journeys",
    "erase_submissions",
    "journeys_idle_before",
    "next_abandoned_journeys",
    "next_to_erase",
    "read_answers",
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
