"""Changes to notifications that people make or that providers report: atomic, side effects
on commit. What staff do and see is written to the audit log in the same transaction."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from porth.audit.service import record
from porth.casework import service as casework
from porth.casework.models import Case

from . import delivery
from .delivery import WHAT
from .models import FAILED, Kind, Notification, Status


class Refused(Exception):
    """The action cannot be done; the message says why, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def failed() -> Q:
    """Notifications that will not be sent unless someone sends them again: failed for good,
    or failed for now with no attempt to come (GOV.UK Notify gave up after trying for days)."""
    return Q(status__in=FAILED) | Q(
        status=Status.TEMPORARY_FAILURE, next_attempt_at__isnull=True, lease_until__isnull=True
    )


def retry(notification: Notification, *, actor: Any, request: HttpRequest | None = None) -> None:
    """Send a failed notification again: as if new (no attempts, due now), keeping its
    reference, so that the provider's record of the failed one is known for what it is."""
    with transaction.atomic():
        current = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("case", "case__organisation")
            .filter(pk=notification.pk)
            .first()
        )
        if current is None:
            raise Refused("This message no longer exists")
        if not Notification.objects.filter(failed(), pk=current.pk).exists():
            raise Refused("This message has not failed: someone may have sent it again already")
        if not current.content:
            raise Refused("This message's text has been erased, so it cannot be sent again")
        now = timezone.now()
        Notification.objects.filter(pk=current.pk).update(
            status=Status.CREATED,
            attempts=0,
            next_attempt_at=now,
            lease_until=None,
            status_detail="",
            provider_id="",
            updated_at=now,
        )
        case = current.case
        record(
            "notification.retried",
            actor=actor,
            request=request,
            organisation=case.organisation if case else None,
            obj=current,
            data={
                "reference": case.reference if case else "",
                "notification": current.reference,
                "from": current.status,
            },
        )
        _schedule(current.pk)


def _schedule(notification_id: int) -> None:
    """Queue the delivery task once the transaction commits (delivery.schedule waits for
    the commit itself)."""
    delivery.schedule(notification_id)


def record_view(case: Case, *, actor: Any, request: HttpRequest | None = None) -> None:
    """The messages an applicant was sent were shown: say who saw which case's."""
    with transaction.atomic():
        record(
            "case.notifications_viewed",
            actor=actor,
            request=request,
            organisation=case.organisation,
            obj=case,
            data={"reference": case.reference},
        )


# --- Delivery receipts ----------------------------------------------------------------------

# Notify's words → Porth's. "sent": a text message to an international number, of which no
# receipt will ever say more. "pending": a text message the phone network is still trying.
RECEIPT_STATUS = {
    "created": Status.SENDING,
    "sending": Status.SENDING,
    "pending": Status.SENDING,
    "sent": Status.DELIVERED,
    "delivered": Status.DELIVERED,
    "permanent-failure": Status.PERMANENT_FAILURE,
    "temporary-failure": Status.TEMPORARY_FAILURE,
    "technical-failure": Status.TECHNICAL_FAILURE,
}
# What each failure means, in GOV.UK Notify's own explanations (no personal data).
RECEIPT_DETAIL = {
    ("permanent-failure", "email"): "GOV.UK Notify could not deliver it: the email address "
    "does not exist or refuses mail. Check the address with the applicant",
    ("permanent-failure", "sms"): "GOV.UK Notify could not deliver it: the phone number is "
    "wrong or the network refused the message. Check the number with the applicant",
    ("temporary-failure", "email"): "GOV.UK Notify could not deliver it for 3 days: the inbox "
    "may be full, or a spam filter refused it",
    ("temporary-failure", "sms"): "GOV.UK Notify could not deliver it for 3 days: the phone "
    "may be off or out of signal, or its inbox full",
    ("technical-failure", "email"): "GOV.UK Notify could not send it because of a problem "
    "between Notify and its provider",
    ("technical-failure", "sms"): "GOV.UK Notify could not send it because of a problem "
    "between Notify and its provider",
    ("sent", "sms"): "Sent to an international number: no delivery receipt will come",
}
FINAL = {Status.DELIVERED, Status.PERMANENT_FAILURE, Status.TECHNICAL_FAILURE}
FAILURES = {Status.PERMANENT_FAILURE, Status.TEMPORARY_FAILURE, Status.TECHNICAL_FAILURE}


@dataclass(frozen=True)
class Receipt:
    """A delivery receipt, as read from Notify's callback (its `to` is never kept)."""

    provider_id: str
    reference: str
    status: str  # Notify's word, a key of RECEIPT_STATUS
    kind: str


class UnknownReference(Exception):
    """No notification has the receipt's reference (erased, or not ours)."""


def record_receipt(receipt: Receipt) -> Notification:
    """Put a provider's delivery receipt on its notification. Receipts may come twice or out
    of order: a final status is not undone by a later 'sending', a repeat changes nothing,
    and a receipt for an earlier send than the one on record is ignored.

    Not in the audit log, which records what people do and see: the provider's report is
    kept on the notification, and a failure goes on the case timeline."""
    status = RECEIPT_STATUS[receipt.status]
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("case")
            .filter(reference=receipt.reference)
            .first()
        )
        if notification is None:
            raise UnknownReference(receipt.reference)
        if notification.provider_id and notification.provider_id != receipt.provider_id:
            return notification  # about a send this one replaced
        if notification.status == status or (notification.status in FINAL and status not in FINAL):
            return notification
        fields: dict[str, Any] = {"status": status, "updated_at": timezone.now()}
        if not notification.provider_id:  # the worker died before writing it down
            fields["provider_id"] = receipt.provider_id
        detail = RECEIPT_DETAIL.get((receipt.status, notification.kind))
        if detail:
            fields["status_detail"] = detail
        if status in FINAL or status in FAILURES:
            # Nothing more will come of this send: no attempt is due (staff may retry a
            # failure), and a worker still recording it finds the row moved on.
            fields |= {"next_attempt_at": None, "lease_until": None}
        Notification.objects.filter(pk=notification.pk).update(**fields)
        for name, value in fields.items():
            setattr(notification, name, value)
        if status in FAILURES and notification.case is not None:
            casework.add_event(
                notification.case,
                "notification_failed",  # as the delivery task's failures
                {"text": not_delivered(notification)},
            )
    return notification


def not_delivered(notification: Notification) -> str:
    """For the case timeline: which message, and why (no address, no text)."""
    kind = Kind(notification.kind).label if notification.kind in Kind.values else "Message"
    what = WHAT.get(notification.event, notification.event)
    return f"{kind} not delivered ({what}): {notification.status_detail}"
