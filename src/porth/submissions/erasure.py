"""Erasing citizens' answers: submissions past their service's retention period, and journeys
abandoned before they were sent.

A submission keeps its reference, service, definition version, channel, language and dates
(statistics, and the citizen's enquiries by reference); its answers go, and so does the
journey it came from (an empty row by then, whose id was the key in the citizen's cookie).
An abandoned journey (never sent, untouched for PORTH_JOURNEY_IDLE_DAYS) is deleted whole:
nothing of it is worth keeping. Callers (porth.retention) batch, audit and commit.
"""

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, QuerySet

from porth.utils.erasure import Personal, count_all, erase_all

from . import store
from .models import Journey, Submission

# Personal data found by a submission's id, and what it becomes. A model that holds a
# citizen's personal data about a submission adds one line here.
PERSONAL: list[Personal] = [
    Personal(
        "submissions",
        Submission,
        "pk",
        {"answers": b"", "key_id": "", "journey": None},
        stamp="erased_at",
    ),
]


def to_erase(service: str, before: datetime) -> QuerySet[Submission]:
    """The service's submissions sent before `before` and not yet erased."""
    return Submission.objects.filter(
        service=service, submitted_at__lt=before, erased_at__isnull=True
    )


def next_to_erase(service: str, before: datetime, limit: int) -> list[int]:
    """The ids of up to `limit` of them, oldest first (read from an index of unerased ones)."""
    return list(
        to_erase(service, before).order_by("submitted_at").values_list("pk", flat=True)[:limit]
    )


def count_submissions(found: QuerySet[Submission]) -> dict[str, int]:
    """What `erase_submissions` would erase of these submissions: how many of each kind."""
    return count_all(PERSONAL, found) | {
        "sent journeys": Journey.objects.filter(submission__in=found).count()
    }


def erase_submissions(ids: Sequence[int], *, at: datetime) -> dict[str, int]:
    """Erase these submissions' answers and delete the journeys they came from; how many of
    each. Submissions erased already are skipped."""
    journeys = list(
        Journey.objects.filter(submission__in=ids, submission__erased_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    counts = erase_all(PERSONAL, ids, at=at)  # cuts the journeys' link first
    counts["sent journeys"] = _delete(Journey.objects.filter(pk__in=journeys))
    return counts


def _delete(journeys: QuerySet[Journey]) -> int:
    ids = list(journeys.values_list("pk", flat=True))
    if not ids:
        return 0
    _, deleted = Journey.objects.filter(pk__in=ids).delete()
    for journey_id in ids:
        # This worker's memory. Another's may keep a journey a few minutes (store.RECENT_SECONDS)
        # but never shows an idle one again (views._idle), and a sent one is never kept.
        store.forget(journey_id)
    return deleted.get(Journey._meta.label, 0)


# --- Abandoned journeys ------------------------------------------------------------------


def journeys_idle_before(now: datetime) -> datetime:
    """Journeys last changed before this are abandoned (as the journey pages judge them)."""
    return now - timedelta(days=settings.PORTH_JOURNEY_IDLE_DAYS)


def abandoned(now: datetime) -> QuerySet[Journey]:
    """Journeys never sent and left idle past PORTH_JOURNEY_IDLE_DAYS: online ones (their
    cookie has expired too) and assisted ones (their member of staff's session ended long
    before), less those kept on purpose."""
    journeys = Journey.objects.filter(
        submitted_at__isnull=True, updated_at__lt=journeys_idle_before(now)
    )
    return _without_kept(journeys, now)


def _without_kept(journeys: QuerySet[Journey], now: datetime) -> QuerySet[Journey]:
    """Leave out journeys kept past their idle time on purpose: a journey saved for later is
    kept until its link expires (Journey.keep_until); once it has, this scan erases it too
    (saving.erase_unresumed does so within the hour)."""
    return journeys.exclude(keep_until__gt=now)


def next_abandoned_journeys(now: datetime, limit: int, *, after: str = "") -> list[str]:
    """The ids of up to `limit` abandoned journeys, in id order from just after `after`:
    `updated_at` has no index (journeys are saved at every answer), so a run walks the
    table once by its key, a batch at a time, rather than from the start for every batch."""
    return list(
        abandoned(now).filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:limit]
    )


def count_abandoned_journeys(now: datetime) -> dict[str, int]:
    """How many abandoned journeys each service has."""
    by_service = abandoned(now).order_by().values("service").annotate(count=Count("pk"))
    return {row["service"]: row["count"] for row in by_service}


def erase_abandoned_journeys(ids: Sequence[str], *, now: datetime) -> dict[str, int]:
    """Delete those of these journeys still abandoned (one answered meanwhile is kept); how
    many of each service. Inside the caller's transaction: the rows are locked until it ends."""
    rows = list(abandoned(now).filter(pk__in=ids).select_for_update().values_list("pk", "service"))
    _delete(Journey.objects.filter(pk__in=[pk for pk, _ in rows]))
    return dict(Counter(service for _, service in rows))
