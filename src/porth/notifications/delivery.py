"""Delivery: the background task that sends one notification, and the sweep that finds any
whose task was lost.

A notification row is written in the transaction of whatever caused it, and `schedule()`
queues its task once that commits. The task (`deliver`) may run more than once for the same
row (the sweep queues one again, a retry was queued and the sweep found it too): it claims
the row first, with a conditional UPDATE that only one worker can win, so one send at most is
in flight. No transaction is held while the provider is called.

The row says what to do next. `next_attempt_at` is when a worker should look at it:

    created              next_attempt_at = when written: send it
    sending, in flight   claimed until lease_until (= next_attempt_at); if that passes, the
                         worker died mid-send: the provider may have the message, so it is
                         asked (`Channel.find(reference)`) before sending again
    sending, handed over next_attempt_at empty: the provider has it; a receipt may follow
    temporary-failure    try again at next_attempt_at (exponential backoff, full jitter)
    delivered, permanent-failure, technical-failure: done (failures are on the case timeline)

A worker killed mid-send, a task lost with its queue, a retry queued on a backend that cannot
defer: the sweep (every PORTH_DELIVERY_SWEEP seconds, on one worker) queues again every row
that should have been looked at more than a lease ago.
"""

import functools
import logging
import random
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone

from porth.casework import service as casework

from . import addresses, content
from .channels import (
    Channel,
    Failure,
    Message,
    PermanentFailure,
    Sent,
    TechnicalFailure,
    TemporaryFailure,
    channel,
)
from .models import Kind, Notification, Status

logger = logging.getLogger(__name__)

# Retries: the n-th waits a random time up to BASE · 2^(n-1), at most CAP (full jitter, so
# that messages that failed together do not come back together), never under MIN, or what
# the provider asked (retry_after) if longer. GIVE_UP after its first attempt, a message is
# abandoned, as GOV.UK Notify abandons one after 72 hours.
BACKOFF_BASE = 30.0
BACKOFF_CAP = 3600.0
BACKOFF_MIN = 5.0
GIVE_UP = timedelta(hours=72)
# The sweep queues at most this many rows at a time (the next sweep takes the rest).
SWEEP_BATCH = 1000
# A task queued to run at a row's next_attempt_at may start a moment early by this worker's
# clock (another machine set the time, or the database's clock queued it): still due.
CLOCK_SKEW = timedelta(seconds=2)

WHAT = {
    "submitted": "confirmation of the application",
    "information_requested": "request for more information",
    "approved": "decision (approved)",
    "rejected": "decision (rejected)",
    "message": "message from a caseworker",
    "saved_for_later": "link to resume the application",
}


def now() -> datetime:
    """The delivery clock (tests replace it to move through hours in no time)."""
    return timezone.now()


def _lease() -> timedelta:
    return timedelta(seconds=settings.PORTH_DELIVERY_LEASE)


# --- Queueing ---------------------------------------------------------------------------


def schedule(notification_id: int) -> None:
    """Queue the notification's delivery once the current transaction commits (at once if
    there is none). The row must be waiting to be sent: created, or failed and reset by
    staff (status created, attempts 0, next_attempt_at now)."""
    transaction.on_commit(functools.partial(_enqueue, notification_id))


def _enqueue(notification_id: int, run_after: datetime | None = None) -> None:
    """Queue `deliver`, never raising: if the queue cannot be reached, the sweep will queue
    the row later (it is committed, so it cannot be lost)."""
    try:
        if run_after is None:
            deliver.enqueue(notification_id)
        elif deliver.get_backend().supports_defer:
            deliver.using(run_after=run_after).enqueue(notification_id)
        # else (the immediate backend of tests): the sweep queues it when it is due.
    except Exception:
        logger.exception("Could not queue notification %s; the sweep will", notification_id)


# --- The task -------------------------------------------------------------------------------


def _due(at: datetime) -> Q:
    """Rows a worker may claim at `at`."""
    return Q(status__in=[Status.CREATED, Status.TEMPORARY_FAILURE, Status.SENDING]) & (
        Q(next_attempt_at__lte=at) | Q(status=Status.CREATED, next_attempt_at__isnull=True)
    )


@task()
def deliver(notification_id: int) -> str:
    """Send one notification if it is due and no other worker has it; returns what happened
    (its new status, or why nothing was done)."""
    return attempt(notification_id)


def attempt(notification_id: int) -> str:
    started = now()
    row = Notification.objects.filter(pk=notification_id).first()
    if row is None:
        return "gone"
    # A worker died mid-send (or could not tell whether its send arrived): ask first.
    unsure = row.status == Status.SENDING
    claim: dict[str, Any] = {
        "status": Status.SENDING,
        "next_attempt_at": started + _lease(),
        "lease_until": started + _lease(),
        "attempts": F("attempts") + 1,
        "updated_at": timezone.now(),
    }
    if row.attempts == 0:  # new, or reset by staff to be sent again: GIVE_UP counts from now
        claim["started_at"] = started
    claimed = (
        Notification.objects.filter(_due(started + CLOCK_SKEW), pk=row.pk, attempts=row.attempts)
        .filter(status=row.status)
        .update(**claim)
    )
    if not claimed:
        return "not due"  # done, not yet due, or another worker has it
    row.attempts += 1
    outcome, sure = _send(row, unsure=unsure)
    return _record(row, outcome, sure=sure)


def _send(row: Notification, *, unsure: bool) -> tuple[Sent | Failure, bool]:
    """What the provider made of it, and whether we know for sure that it has or has not
    got the message (False: an error we did not expect, or the provider could not be asked
    whether an earlier attempt arrived)."""
    try:
        chosen, message = _prepare(row)
    except Failure as failure:
        return failure, True
    except Exception as error:  # a fault in Porth before anything was sent
        logger.exception("Notification %s could not be prepared", row.reference)
        return TechnicalFailure(f"An error in Porth ({type(error).__name__})."), True
    step = "find"
    try:
        if unsure and (found := chosen.find(row.reference)) is not None:
            logger.info("Notification %s had already reached the provider", row.reference)
            return found, True
        step = "send"
        return chosen.send(message), True
    except Failure as failure:
        return failure, step == "send"
    except Exception as error:  # a fault in the channel: the message may have gone
        logger.exception("The %s channel failed on notification %s", row.channel, row.reference)
        return TemporaryFailure(f"An unexpected error in Porth ({type(error).__name__})."), False


def _prepare(row: Notification) -> tuple[Channel, Message]:
    """The channel and the message to give it, or a Failure saying why there are none."""
    try:
        chosen = channel(row.channel)
    except LookupError:
        raise TechnicalFailure(
            f"No notification channel named {row.channel!r} is installed."
        ) from None
    if row.kind not in chosen.kinds:
        what = "an email" if row.kind == "email" else "a text message"
        raise TechnicalFailure(f"The {row.channel} channel cannot send {what}.")
    text = content.read(row)
    if text is None:
        raise PermanentFailure("The message was erased before it could be sent.")
    try:
        to = addresses.check(row.kind, text["to"])
    except addresses.Invalid as invalid:
        raise PermanentFailure(invalid.message) from None
    message = Message(
        reference=row.reference,
        kind="sms" if row.kind == "sms" else "email",
        to=to,
        subject=text["subject"],
        body=text["body"],
        language=row.language,
        service=row.service,
    )
    return chosen, message


def backoff(attempts: int, retry_after: float | None = None) -> float:
    """Seconds to wait before attempt `attempts + 1` (full jitter, but at least BACKOFF_MIN:
    more than the clock skew allowed, so that a retry is never due at once)."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(attempts - 1, 0))
    delay = max(BACKOFF_MIN, random.uniform(0, ceiling))
    return max(delay, retry_after or 0.0)


def _next_state(row: Notification, outcome: Sent | Failure, *, sure: bool) -> dict[str, Any]:
    """The row's fields after this attempt."""
    at = now()
    if isinstance(outcome, Sent):
        return {
            "status": Status.DELIVERED if outcome.delivered else Status.SENDING,
            "provider_id": outcome.provider_id[:200],
            "sent_at": at,
            "status_detail": "",
            "next_attempt_at": None,
            "lease_until": None,
        }
    if isinstance(outcome, TemporaryFailure):
        retry_at = at + timedelta(seconds=backoff(row.attempts, outcome.retry_after))
        if retry_at - row.started_at <= GIVE_UP:
            return {
                # Not sure the provider has not got it: still "sending", with a lease that
                # runs out when it is due, so that the next attempt asks the provider first.
                "status": Status.TEMPORARY_FAILURE if sure else Status.SENDING,
                "status_detail": outcome.message[:300],
                "next_attempt_at": retry_at,
                "lease_until": None if sure else retry_at,
            }
        outcome = PermanentFailure(
            f"Gave up after {row.attempts} attempts over {GIVE_UP.days} days. {outcome.message}"
        )
    return {
        "status": Status(outcome.status),
        "status_detail": outcome.message[:300],
        "next_attempt_at": None,
        "lease_until": None,
    }


def _record(row: Notification, outcome: Sent | Failure, *, sure: bool) -> str:
    fields = _next_state(row, outcome, sure=sure)
    status = fields["status"]
    with transaction.atomic():
        # Only while the claim is still ours: a worker that overran its lease must not
        # overwrite what the worker that took over has recorded.
        updated = Notification.objects.filter(
            pk=row.pk, status=Status.SENDING, attempts=row.attempts
        ).update(updated_at=timezone.now(), **fields)
        if not updated:
            logger.warning("Notification %s was taken over while being sent", row.reference)
            return "taken over"
        if status in {Status.PERMANENT_FAILURE, Status.TECHNICAL_FAILURE}:
            on_timeline(row, fields["status_detail"])
    if fields["next_attempt_at"] is not None:
        _enqueue(row.pk, run_after=fields["next_attempt_at"])
    logger.info("Notification %s: %s (attempt %s)", row.reference, status, row.attempts)
    return str(status)


def on_timeline(row: Notification, detail: str) -> None:
    """Put a failure on the case's timeline (saved journeys have no case: logged only)."""
    kind = Kind(row.kind).label
    text = f"{kind} not sent ({WHAT.get(row.event, row.event)}): {detail}"
    if row.case_id is None:
        logger.warning("Notification %s failed: %s", row.reference, detail)
        return
    casework.add_event(row.case, "notification_failed", {"text": text})  # type: ignore[arg-type]


# --- The sweep ----------------------------------------------------------------------------


@task()
def sweep() -> int:
    """Queue every notification whose task should have run more than a lease ago (lost with
    a worker or a queue); returns how many. Registered as a periodic task."""
    return requeue_lost()


def requeue_lost() -> int:
    at = now()
    stale = _due(at - _lease())
    found = list(
        Notification.objects.filter(stale)
        .order_by(F("next_attempt_at").asc(nulls_first=True))
        .values_list("pk", "status", "next_attempt_at")[:SWEEP_BATCH]
    )
    queued = 0
    for pk, status, next_attempt_at in found:
        # Moved on to now, so that the next sweep leaves it alone for a lease (a long queue
        # is not filled again with the same rows), but still due: whoever runs first sends.
        moved = {"next_attempt_at": at}
        if status == Status.SENDING:
            moved["lease_until"] = at
        if Notification.objects.filter(
            pk=pk, status=status, next_attempt_at=next_attempt_at
        ).update(**moved):
            _enqueue(pk)
            queued += 1
    if queued:
        logger.info("The sweep queued %s notifications again", queued)
    return queued
