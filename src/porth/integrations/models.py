"""API tokens a department's system uses to read and act on an organisation's submissions and
cases, and the webhook endpoints Porth tells of new submissions and case changes, with the log
of every delivery to them."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    SUBMISSIONS_READ = "submissions:read", "Read submissions and their answers"
    CASES_READ = "cases:read", "Read cases and their timelines"
    CASES_WRITE = "cases:write", "Change cases: status, notes and decisions"


class Event(models.TextChoices):
    SUBMISSION_CREATED = "submission.created", "A submission is made"
    CASE_CREATED = "case.created", "A case is opened"
    CASE_STATUS_CHANGED = "case.status_changed", "A case's status changes"
    CASE_ASSIGNED = "case.assigned", "A case is assigned"
    CASE_DECIDED = "case.decided", "A case is approved or rejected"


class ApiToken(models.Model):
    """A secret a department's system sends (`Authorization: Bearer …`) to use the REST API
    for one organisation, within its scopes. Only a SHA-256 of it is kept; the token is shown
    once, when it is made. Each token acts as an account of its own (`user`, which cannot
    sign in), so that the audit log and a case's timeline say which system did what."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="integration_tokens"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="integration_token"
    )
    name = models.CharField(max_length=100)
    scopes = models.JSONField(default=list)
    digest = models.CharField(max_length=64, unique=True)  # sha256 hex of the token
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Kept after revocation (not deleted): the audit log and case timelines name its account.
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name

    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


def new_endpoint_key() -> str:
    return uuid.uuid4().hex


class WebhookEndpoint(models.Model):
    """An address of a department's system that Porth POSTs events to, signed with the
    endpoint's secret (Standard Webhooks). The secret is encrypted at rest (Porth must sign
    with it, so it cannot be a hash) and shown once, when the endpoint is registered."""

    key = models.CharField(max_length=32, unique=True, default=new_endpoint_key)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list)
    secret = models.BinaryField()  # encrypted "whsec_…"
    key_id = models.CharField(max_length=32)
    enabled = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "enabled"], name="webhook_org_enabled")]

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Sending"
    RETRYING = "retrying", "Will try again"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


PENDING = [DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.RETRYING]


def new_message_id() -> str:
    return "msg_" + secrets.token_hex(16)


class WebhookDelivery(models.Model):
    """One event for one endpoint, and how sending it went. `message_id` (the `webhook-id`
    header) stays the same however often it is sent, so the receiver can drop repeats."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=40, unique=True, default=new_message_id)
    event = models.CharField(max_length=40)
    reference = models.CharField(max_length=20, blank=True)  # the submission's or case's
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    # Why the last attempt failed, in plain English (no response body: it is the receiver's).
    last_error = models.CharField(max_length=300, blank=True)
    # When a worker should next look at it; a claimed delivery is the worker's until then.
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=models.Q(status__in=PENDING),
            ),
            models.Index(fields=["endpoint", "-created_at", "-id"], name="webhook_delivery_log"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.message_id} ({self.status})"
