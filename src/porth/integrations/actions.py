"""Every change to webhook endpoints: atomic, audited in the same transaction, `*, actor`."""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from porth.accounts.models import Organisation, User
from porth.audit.service import record

from . import delivery as sending
from . import destinations, signing
from .models import DeliveryStatus, Event, WebhookDelivery, WebhookEndpoint


def register(
    organisation: Organisation,
    url: str,
    events: list[str],
    *,
    description: str = "",
    actor: User,
    request: HttpRequest | None = None,
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret (to show once). Raises destinations.Refused for an
    address Porth may not send to, ValueError for no events."""
    chosen = [event for event in Event.values if event in set(events)]
    if not chosen:
        raise ValueError("an endpoint needs at least one event")
    destinations.check(url)
    secret = signing.new_secret()
    with transaction.atomic():
        endpoint = WebhookEndpoint(
            organisation=organisation,
            url=url,
            description=description.strip()[:200],
            events=chosen,
            created_by=actor,
        )
        signing.seal(endpoint, secret)
        endpoint.save()
        record(
            "integrations.webhook_registered",
            actor=actor,
            request=request,
            organisation=organisation,
            obj=endpoint,
            data={"url": url, "events": chosen},
        )
    return endpoint, secret


def set_enabled(
    endpoint: WebhookEndpoint, enabled: bool, *, actor: User, request: HttpRequest | None = None
) -> None:
    """Turn an endpoint on or off. Off, no new deliveries are made for it; those already
    waiting stay in the log, and are sent again only if staff ask."""
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(enabled=enabled)
        endpoint.enabled = enabled
        record(
            "integrations.webhook_enabled" if enabled else "integrations.webhook_disabled",
            actor=actor,
            request=request,
            organisation=Organisation(pk=endpoint.organisation_id),
            obj=endpoint,
            data={"url": endpoint.url},
        )


def send_again(
    delivery: WebhookDelivery, *, actor: User, request: HttpRequest | None = None
) -> bool:
    """Queue a delivery once more from its first attempt (a failed one, or one delivered that
    the receiver lost). False if it is being sent right now."""
    with transaction.atomic():
        updated = (
            WebhookDelivery.objects.filter(pk=delivery.pk)
            .exclude(status=DeliveryStatus.SENDING)
            .update(
                status=DeliveryStatus.PENDING,
                attempts=0,
                next_attempt_at=timezone.now(),
                last_error="",
            )
        )
        if not updated:
            return False
        record(
            "integrations.webhook_sent_again",
            actor=actor,
            request=request,
            organisation=Organisation(pk=delivery.endpoint.organisation_id),
            obj=delivery,
            data={"event": delivery.event, "reference": delivery.reference},
        )
        sending.schedule(delivery.pk)
    return True
