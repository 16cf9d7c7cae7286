"""Notifications and their delivery state.

A notification is written in the same transaction as whatever caused it (a submission, a
case decision, a request to save a journey), so it is never lost; a background worker
delivers it. Its address and text are encrypted; its status uses GOV.UK Notify's words, so
staff who know Notify read it the same way.
"""

import uuid

from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    CREATED = "created", "Created"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    PERMANENT_FAILURE = "permanent-failure", "Permanent failure"
    TEMPORARY_FAILURE = "temporary-failure", "Temporary failure"
    TECHNICAL_FAILURE = "technical-failure", "Technical failure"


# Statuses in which the worker may still have something to do.
PENDING = [Status.CREATED, Status.SENDING, Status.TEMPORARY_FAILURE]
FAILED = [Status.PERMANENT_FAILURE, Status.TECHNICAL_FAILURE]


def in_delivery() -> models.Q:
    """Notifications a worker still has to deal with: written and not yet sent, due to be
    tried again, or being sent (a worker's lease runs). A message the provider has taken is
    "sending" with nothing due (a receipt may follow, or never: SMTP), and is done here."""
    return models.Q(status=Status.CREATED) | models.Q(
        status__in=[Status.SENDING, Status.TEMPORARY_FAILURE], next_attempt_at__isnull=False
    )


class Kind(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


def new_reference() -> str:
    return uuid.uuid4().hex


class Notification(models.Model):
    # Given to the provider with the message, and never changed: a resend after a worker
    # died is recognised by it (the provider is asked for it first).
    reference = models.CharField(max_length=36, unique=True, default=new_reference)
    kind = models.CharField(max_length=5, choices=Kind.choices)
    # The registered channel that sends it (PORTH_NOTIFICATION_CHANNEL when it was made).
    channel = models.CharField(max_length=20)
    # What caused it: submitted, information_requested, approved, rejected, message,
    # saved_for_later; and the definition's template that was used.
    event = models.CharField(max_length=40)
    template = models.CharField(max_length=60, blank=True)
    service = models.SlugField(max_length=80)
    language = models.CharField(max_length=2, default="en")
    case = models.ForeignKey(
        "casework.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    # Encrypted JSON: {"to": address, "subject": ..., "body": ...}; emptied by erasure.
    content = models.BinaryField(blank=True, default=b"")
    key_id = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CREATED)
    # Why it failed, in plain English, without personal data (shown to staff).
    status_detail = models.CharField(max_length=300, blank=True)
    provider_id = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the worker should next try; a claimed notification is the worker's until
    # `lease_until` (then another worker may take it: the first one died).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    # When delivery began (the first attempt, or the first since staff reset it to be sent
    # again): a message still failing temporarily long after is abandoned (delivery.GIVE_UP).
    started_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The worker's sweep: what is due, oldest first.
            models.Index(
                fields=["next_attempt_at"],
                name="notification_due",
                condition=models.Q(status__in=PENDING),
            ),
            models.Index(fields=["status", "-created_at"], name="notification_status"),
            # Retention: a service's notifications not yet erased, oldest first. Erased ones
            # leave the index, so each day's search does not walk past years of them.
            models.Index(
                fields=["service", "created_at"],
                name="notification_to_erase",
                condition=models.Q(erased_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference} ({self.status})"


class OutboxMessage(models.Model):
    """A message the local outbox channel took instead of sending it (development only),
    for a developer to read at /dev/outbox. Its address and text are encrypted, as a
    notification's are."""

    reference = models.CharField(max_length=36, unique=True)  # the notification's
    kind = models.CharField(max_length=5, choices=Kind.choices)
    language = models.CharField(max_length=2)
    # Encrypted JSON: {"to": address, "subject": ..., "body": ...}.
    content = models.BinaryField()
    key_id = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.reference} (outbox)"
