"""Erasing what notifications hold about applicants: their address and the text sent.

A notification keeps its kind, event, template, service, language, status and dates
(statistics on delivery); its content goes. It is erased once it is older than its service's
retention period, or once its case's answers have been erased (a message sent late in a
case's life goes with the case). One still waiting to be sent is left for the worker and
erased on a later run. Callers (porth.retention) batch, audit and commit.
"""

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Q, QuerySet

from porth.utils.erasure import Personal, count_all, erase_all

from .models import Notification, in_delivery

# Personal data found by a notification's id, and what it becomes. A model that holds a
# copy of what was sent adds one line here.
PERSONAL: list[Personal] = [
    Personal(
        "notifications", Notification, "pk", {"content": b"", "key_id": ""}, stamp="erased_at"
    ),
]


def to_erase(service: str, before: datetime) -> QuerySet[Notification]:
    """The service's notifications to erase: made before `before`, or about a case whose
    answers were erased or are older than that; sent (or given up on), not erased yet. One
    the provider took and gives no receipt for stays "sending": it is erased all the same."""
    return Notification.objects.filter(
        Q(created_at__lt=before)
        | Q(case__submission__erased_at__isnull=False)
        | Q(case__submission__submitted_at__lt=before),
        service=service,
        erased_at__isnull=True,
    ).exclude(in_delivery())


def next_to_erase(service: str, before: datetime, limit: int) -> list[int]:
    """The ids of up to `limit` of them, oldest first."""
    return list(
        to_erase(service, before).order_by("created_at").values_list("pk", flat=True)[:limit]
    )


def erase_notifications(ids: Sequence[int], *, at: datetime) -> dict[str, int]:
    """Erase these notifications' content; how many of each kind. Erased ones are skipped."""
    return erase_all(PERSONAL, ids, at=at)


def count_notifications(service: str, before: datetime) -> dict[str, int]:
    """What erasing the service's notifications made before `before` would erase."""
    return count_all(PERSONAL, to_erase(service, before).values("pk"))
