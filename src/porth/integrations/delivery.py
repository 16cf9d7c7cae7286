"""Webhook delivery: the rows written with the event, the background task that sends one,
and the sweep that finds any whose task was lost (the pattern of porth.notifications.delivery).

`emit()` writes one WebhookDelivery per endpoint that wants the event, inside the transaction
of whatever happened (so a delivery exists if and only if the event does), and queues its task
once that commits. The task claims the row with a conditional UPDATE (one worker wins), signs
the payload, POSTs it with a timeout and no transaction open, and records what came back:

    pending     next_attempt_at = when written: send it
    sending     claimed until next_attempt_at (the lease); if that passes the worker died,
                and the sweep queues it again (the receiver drops repeats by webhook-id)
    retrying    a timeout, a refused connection, 408, 429 or 5xx: try again at next_attempt_at
                (exponential backoff, full jitter), up to PORTH_WEBHOOK_MAX_ATTEMPTS attempts
    delivered   a 2xx answer
    failed      any other answer, an address Porth may not send to, the endpoint turned off,
                or the attempts used up; staff may send it again from the delivery log
"""

import functools
import logging
import random
import threading
from datetime import datetime, timedelta
from typing import Any

import httpx
import orjson
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from . import destinations, signing
from .models import PENDING, DeliveryStatus, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

BACKOFF_BASE = 30.0
BACKOFF_CAP = 3600.0
BACKOFF_MIN = 5.0
SWEEP_BATCH = 1000
# Finished deliveries (delivered or failed) are kept this long in the log, then deleted.
KEEP_LOG = timedelta(days=90)
CLOCK_SKEW = timedelta(seconds=2)
RETRY_STATUSES = frozenset({408, 429})
USER_AGENT = "Porth-Webhooks/1"


def now() -> datetime:
    """The delivery clock (tests replace it to move through hours in no time)."""
    return timezone.now()


def _lease() -> timedelta:
    return timedelta(seconds=settings.PORTH_WEBHOOK_TIMEOUT + 60)


# --- Writing and queueing -------------------------------------------------------------------


def listening(**where: Any) -> list[tuple[int, list[str]]]:
    """(id, events) of the enabled endpoints matching `where` (one query)."""
    return list(WebhookEndpoint.objects.filter(enabled=True, **where).values_list("pk", "events"))


def emit(
    endpoints: list[tuple[int, list[str]]], event: str, reference: str, data: dict[str, Any]
) -> list[WebhookDelivery]:
    """Write a delivery of `event` for each of `endpoints` (from `listening`) that wants it,
    and queue each after the commit."""
    at = now()
    payload = {"type": event, "timestamp": at.isoformat(), "data": data}
    rows = [
        WebhookDelivery(
            endpoint_id=pk, event=event, reference=reference, payload=payload, next_attempt_at=at
        )
        for pk, events in endpoints
        if event in events
    ]
    if not rows:
        return []
    made = WebhookDelivery.objects.bulk_create(rows)
    for row in made:
        schedule(row.pk)
    return made


def schedule(delivery_id: int) -> None:
    """Queue the delivery's task once the current transaction commits."""
    transaction.on_commit(functools.partial(_enqueue, delivery_id))


def _enqueue(delivery_id: int, run_after: datetime | None = None) -> None:
    """Queue `deliver`, never raising: if the queue cannot be reached, the sweep will."""
    try:
        if run_after is None:
            deliver.enqueue(delivery_id)
        elif deliver.get_backend().supports_defer:
            deliver.using(run_after=run_after).enqueue(delivery_id)
        # else (the immediate backend of tests): the sweep queues it when it is due.
    except Exception:
        logger.exception("Could not queue webhook delivery %s; the sweep will", delivery_id)


# --- Sending --------------------------------------------------------------------------------

_local = threading.local()


def _client() -> httpx.Client:
    """One client per worker thread, so that connections to a receiver are kept alive.
    Redirects are not followed: one could lead to an address the check would refuse."""
    timeout = settings.PORTH_WEBHOOK_TIMEOUT
    found: tuple[float, httpx.Client] | None = getattr(_local, "client", None)
    if found is not None and found[0] == timeout:
        return found[1]
    client = httpx.Client(
        timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
    )
    _local.client = (timeout, client)
    return client


@task()
def deliver(delivery_id: int) -> str:
    """Send one delivery if it is due and no other worker has it; returns its new status
    (or why nothing was done)."""
    return attempt(delivery_id)


def _due(at: datetime) -> Q:
    return Q(status__in=PENDING, next_attempt_at__lte=at)


def attempt(delivery_id: int) -> str:
    started = now()
    row = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if row is None:
        return "gone"
    claimed = WebhookDelivery.objects.filter(
        _due(started + CLOCK_SKEW), pk=row.pk, attempts=row.attempts, status=row.status
    ).update(
        status=DeliveryStatus.SENDING,
        attempts=row.attempts + 1,
        next_attempt_at=started + _lease(),
    )
    if not claimed:
        return "not due"
    row.attempts += 1
    fields = _send(row.endpoint, row)
    return _record(row, fields)


def _send(endpoint: WebhookEndpoint, row: WebhookDelivery) -> dict[str, Any]:
    """POST the payload; the row's fields after this attempt."""
    if not endpoint.enabled:
        return _failed("The endpoint was turned off before this could be sent")
    try:
        destinations.check(endpoint.url)
    except destinations.Refused as refused:
        return _failed(refused.message)
    body = orjson.dumps(row.payload)
    headers = signing.headers(signing.secret_of(endpoint), row.message_id, body, now())
    headers["content-type"] = "application/json"
    try:
        response = _client().post(endpoint.url, content=body, headers=headers)
    except httpx.TimeoutException:
        return _retry(row, None, f"No answer within {settings.PORTH_WEBHOOK_TIMEOUT:g} seconds")
    except httpx.HTTPError as error:
        return _retry(row, None, f"Could not connect ({type(error).__name__})")
    code = response.status_code
    if 200 <= code < 300:
        return {
            "status": DeliveryStatus.DELIVERED,
            "last_status_code": code,
            "last_error": "",
            "next_attempt_at": None,
            "delivered_at": now(),
        }
    if code >= 500 or code in RETRY_STATUSES:
        return _retry(row, code, f"The receiver answered {code}", _retry_after(response))
    return _failed(f"The receiver answered {code}", code)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return min(float(value), BACKOFF_CAP) if value.isdigit() else None


def backoff(attempts: int, retry_after: float | None = None) -> float:
    """Seconds before attempt `attempts + 1`: full jitter up to BASE · 2^(n-1), at most CAP,
    never under MIN, or what the receiver asked (Retry-After) if longer."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(attempts - 1, 0))
    return max(BACKOFF_MIN, random.uniform(0, ceiling), retry_after or 0.0)


def _retry(
    row: WebhookDelivery, code: int | None, message: str, retry_after: float | None = None
) -> dict[str, Any]:
    if row.attempts >= settings.PORTH_WEBHOOK_MAX_ATTEMPTS:
        return _failed(f"Gave up after {row.attempts} attempts. {message}", code)
    return {
        "status": DeliveryStatus.RETRYING,
        "last_status_code": code,
        "last_error": message[:300],
        "next_attempt_at": now() + timedelta(seconds=backoff(row.attempts, retry_after)),
    }


def _failed(message: str, code: int | None = None) -> dict[str, Any]:
    return {
        "status": DeliveryStatus.FAILED,
        "last_status_code": code,
        "last_error": message[:300],
        "next_attempt_at": None,
    }


def _record(row: WebhookDelivery, fields: dict[str, Any]) -> str:
    # Only while the claim is still ours: a worker that overran its lease must not overwrite
    # what the worker that took over has recorded.
    updated = WebhookDelivery.objects.filter(
        pk=row.pk, status=DeliveryStatus.SENDING, attempts=row.attempts
    ).update(**fields)
    if not updated:
        logger.warning("Webhook delivery %s was taken over while being sent", row.message_id)
        return "taken over"
    if fields["next_attempt_at"] is not None:
        _enqueue(row.pk, run_after=fields["next_attempt_at"])
    if fields["status"] == DeliveryStatus.FAILED:
        logger.warning("Webhook delivery %s failed: %s", row.message_id, fields["last_error"])
    return str(fields["status"])


# --- The sweep ------------------------------------------------------------------------------


@task()
def sweep() -> int:
    """Queue every delivery that should have been looked at more than a lease ago (lost with
    a worker or a queue, or a retry on a backend that cannot defer); returns how many."""
    return requeue_lost()


def requeue_lost(*, at: datetime | None = None) -> int:
    at = at or now()
    found = list(
        WebhookDelivery.objects.filter(_due(at - _lease()))
        .order_by("next_attempt_at")
        .values_list("pk", "status", "next_attempt_at")[:SWEEP_BATCH]
    )
    queued = 0
    for pk, status, next_attempt_at in found:
        # Moved on to now (still due, and a sending one no longer leased): the next sweep
        # leaves it alone for a lease, and whichever worker runs first sends it.
        if WebhookDelivery.objects.filter(
            pk=pk, status=status, next_attempt_at=next_attempt_at
        ).update(next_attempt_at=at):
            _enqueue(pk)
            queued += 1
    if queued:
        logger.info("The sweep queued %s webhook deliveries again", queued)
    return queued


@task()
def prune() -> int:
    """Delete finished deliveries older than KEEP_LOG; returns how many. Registered daily."""
    return prune_log()


def prune_log(*, at: datetime | None = None) -> int:
    before = (at or now()) - KEEP_LOG
    deleted, _ = WebhookDelivery.objects.filter(
        created_at__lt=before,
        status__in=[DeliveryStatus.DELIVERED, DeliveryStatus.FAILED],
    ).delete()
    return deleted
