"""Webhooks: which events make deliveries, signatures a Standard Webhooks receiver accepts
(checked by the library's own verifier on a real loopback server), retries with backoff on
timeouts, refused connections and 5xx, giving up, and sending again."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import orjson
import pytest
from django.utils import timezone
from standardwebhooks import Webhook

from porth.accounts.models import Organisation
from porth.audit.models import AuditEvent
from porth.casework import service as casework
from porth.casework.actions import claim
from porth.casework.models import Status
from porth.casework.tests.helpers import definition, make_case
from porth.integrations import actions, delivery, destinations
from porth.integrations.models import DeliveryStatus, Event, WebhookDelivery, WebhookEndpoint
from porth.submissions.models import Submission
from porth.submissions.signals import submitted

from .helpers import Receiver, service_owner

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def endpoint(
    org: Organisation, url: str, events: list[str] | None = None
) -> tuple[WebhookEndpoint, str]:
    return actions.register(
        org, url, events or list(Event.values), actor=service_owner(org), description="Cases"
    )


def only(**fields: Any) -> WebhookDelivery:
    return WebhookDelivery.objects.get(**fields)


def later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Move the delivery clock on."""
    at = timezone.now() + timedelta(seconds=seconds)
    monkeypatch.setattr(delivery, "now", lambda: at)


def test_a_registered_endpoint_gets_a_secret_in_standard_webhooks_form_kept_encrypted(
    org: Organisation, loopback: Receiver
) -> None:
    made, secret = endpoint(org, loopback.url)
    assert secret.startswith("whsec_") and len(Webhook(secret)._whsecret) == 32
    assert secret.encode() not in bytes(made.secret)
    entry = AuditEvent.objects.get(action="integrations.webhook_registered")
    assert entry.data == {"url": loopback.url, "events": list(Event.values)}


def test_a_case_event_reaches_the_receiver_signed_and_the_library_verifies_it(
    org: Organisation, loopback: Receiver, django_capture_on_commit_callbacks: Capture
) -> None:
    _, secret = endpoint(org, loopback.url)
    case = make_case(org, status=Status.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        casework.approve(case, version=1, actor=service_owner(org))

    assert [r.headers["content-type"] for r in loopback.received] == ["application/json"] * 2
    payloads = [Webhook(secret).verify(r.body, r.headers) for r in loopback.received]
    assert [p["type"] for p in payloads] == ["case.status_changed", "case.decided"]
    assert payloads[0]["data"] == {
        "reference": case.reference,
        "service": "test-service",
        "queue": "applications",
        "status": "approved",
        "from_status": "in_progress",
        "action": "approve",
        "links": {"case": f"https://porth.example/api/v1/cases/{case.reference}"},
    }
    assert payloads[1]["data"]["decision"] == "approved"
    first = loopback.received[0]
    assert first.headers["webhook-id"] == only(event="case.status_changed").message_id
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "A" * 43 + "=").verify(first.body, first.headers)
    row = only(event="case.decided")
    assert row.status == DeliveryStatus.DELIVERED and row.attempts == 1
    assert row.last_status_code == 204 and row.delivered_at is not None


def test_a_submission_tells_only_endpoints_of_its_organisation_that_want_it(
    org: Organisation, other_org: Organisation, loopback: Receiver
) -> None:
    wants, _ = endpoint(org, loopback.url, [Event.SUBMISSION_CREATED])
    endpoint(org, loopback.url, [Event.CASE_CREATED])
    off, _ = endpoint(org, loopback.url, [Event.SUBMISSION_CREATED])
    actions.set_enabled(off, False, actor=service_owner(org))
    endpoint(other_org, loopback.url, [Event.SUBMISSION_CREATED])
    case = make_case(org)
    submission = case.submission
    case.delete()  # so that the signal's own receiver in casework may open it
    submitted.send(
        sender=Submission, submission=submission, definition=definition(), answers={}, actor=None
    )
    row = only(event="submission.created")
    assert row.endpoint == wants
    assert row.payload["data"]["reference"] == submission.reference
    # Minimal in personal data: no answers, no name.
    assert "Jo Bloggs" not in orjson.dumps(row.payload).decode()


def test_a_5xx_is_tried_again_later_with_the_same_message_id(
    org: Organisation,
    loopback: Receiver,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    endpoint(org, loopback.url, [Event.CASE_ASSIGNED])
    loopback.answers = [503, 200]
    case = make_case(org)
    with django_capture_on_commit_callbacks(execute=True):
        casework.add_note(case, "x", version=1, actor=service_owner(org))  # no event
    assert WebhookDelivery.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        claim(case, version=2, actor=service_owner(org))
    row = only()
    assert row.status == DeliveryStatus.RETRYING and row.last_status_code == 503
    assert row.next_attempt_at is not None and row.next_attempt_at > timezone.now()
    assert delivery.attempt(row.pk) == "not due"
    later(monkeypatch, 3600)
    assert delivery.attempt(row.pk) == "delivered"
    ids = {r.headers["webhook-id"] for r in loopback.received}
    assert ids == {row.message_id} and len(loopback.received) == 2
    assert only().attempts == 2


def test_a_timeout_and_a_refused_connection_are_tried_again(
    org: Organisation, loopback: Receiver, settings: Any
) -> None:
    settings.PORTH_WEBHOOK_TIMEOUT = 0.2
    loopback.delay = 0.6
    slow, _ = endpoint(org, loopback.url)
    closed, _ = endpoint(org, "http://127.0.0.1:9/hooks")  # discard: nothing listens
    for made in (slow, closed):
        row = delivery.emit([(made.pk, made.events)], "case.created", "X", {})[0]
        delivery.attempt(row.pk)
    assert only(endpoint=slow).status == DeliveryStatus.RETRYING
    assert "No answer within 0.2 seconds" in only(endpoint=slow).last_error
    assert only(endpoint=closed).status == DeliveryStatus.RETRYING
    assert "Could not connect" in only(endpoint=closed).last_error


def test_it_gives_up_after_the_last_attempt(
    org: Organisation, loopback: Receiver, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.PORTH_WEBHOOK_MAX_ATTEMPTS = 3
    loopback.answers = [500]
    made, _ = endpoint(org, loopback.url)
    row = delivery.emit([(made.pk, made.events)], "case.created", "X", {})[0]
    outcomes = []
    for hours in range(3):
        later(monkeypatch, hours * 3600)
        outcomes.append(delivery.attempt(row.pk))
    assert outcomes == ["retrying", "retrying", "failed"]
    row.refresh_from_db()
    assert row.attempts == 3 and row.last_error.startswith("Gave up after 3 attempts")
    assert row.next_attempt_at is None


def test_a_4xx_other_than_408_and_429_fails_at_once(org: Organisation, loopback: Receiver) -> None:
    loopback.answers = [410]
    made, _ = endpoint(org, loopback.url)
    row = delivery.emit([(made.pk, made.events)], "case.created", "X", {})[0]
    assert delivery.attempt(row.pk) == "failed"
    assert only().last_status_code == 410


def test_backoff_doubles_up_to_a_cap_and_honours_retry_after() -> None:
    for attempts in range(1, 12):
        ceiling = min(delivery.BACKOFF_CAP, delivery.BACKOFF_BASE * 2 ** (attempts - 1))
        assert delivery.BACKOFF_MIN <= delivery.backoff(attempts) <= max(ceiling, 5)
    assert delivery.backoff(1, retry_after=600) == 600


def test_the_sweep_queues_again_a_delivery_whose_worker_died(
    org: Organisation, loopback: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    made, _ = endpoint(org, loopback.url)
    row = delivery.emit([(made.pk, made.events)], "case.created", "X", {})[0]
    WebhookDelivery.objects.filter(pk=row.pk).update(
        status=DeliveryStatus.SENDING, attempts=1, next_attempt_at=timezone.now()
    )
    assert delivery.requeue_lost() == 0  # still leased
    later(monkeypatch, 3600)
    assert delivery.requeue_lost() == 1  # the immediate backend sends it at once
    assert only().status == DeliveryStatus.DELIVERED and only().attempts == 2


def test_sending_again_starts_over_and_is_audited(org: Organisation, loopback: Receiver) -> None:
    loopback.answers = [410, 204]
    made, _ = endpoint(org, loopback.url)
    row = delivery.emit([(made.pk, made.events)], "case.created", "X", {})[0]
    delivery.attempt(row.pk)
    row.refresh_from_db()
    assert actions.send_again(row, actor=service_owner(org))
    delivery.attempt(row.pk)
    assert only().status == DeliveryStatus.DELIVERED and only().attempts == 1
    assert AuditEvent.objects.filter(action="integrations.webhook_sent_again").count() == 1


def test_a_turned_off_endpoint_gets_nothing_more(org: Organisation, loopback: Receiver) -> None:
    made, _ = endpoint(org, loopback.url)
    row = delivery.emit([(made.pk, made.events)], "case.created", "X", {})[0]
    actions.set_enabled(made, False, actor=service_owner(org))
    assert delivery.attempt(row.pk) == "failed"
    assert loopback.received == []


def test_private_addresses_are_refused_unless_allowed(
    org: Organisation, loopback: Receiver, settings: Any
) -> None:
    made, _ = endpoint(org, "https://127.0.0.1:9/hooks")  # allowed in tests
    settings.PORTH_WEBHOOK_ALLOW_PRIVATE = False
    for url in (
        loopback.url,
        "https://127.0.0.1/hooks",
        "https://10.1.2.3/hooks",
        "https://[::1]/hooks",
        "https://169.254.169.254/latest",
        "https://localhost/hooks",
        "ftp://example.gov.uk/hooks",
        "https://user:pass@example.gov.uk/hooks",
    ):
        with pytest.raises(destinations.Refused):
            destinations.check(url)
    row = delivery.emit([(made.pk, made.events)], "case.created", "X", {})[0]
    assert delivery.attempt(row.pk) == "failed"
    assert "private or internal network" in only().last_error
    assert loopback.received == []


def test_finished_deliveries_leave_the_log_after_90_days(
    org: Organisation, loopback: Receiver
) -> None:
    made, _ = endpoint(org, loopback.url)
    done, waiting = delivery.emit([(made.pk, made.events)] * 2, "case.created", "X", {})
    WebhookDelivery.objects.filter(pk=done.pk).update(status=DeliveryStatus.DELIVERED)
    assert delivery.prune_log(at=timezone.now() + timedelta(days=89)) == 0
    assert delivery.prune_log(at=timezone.now() + timedelta(days=91)) == 1
    assert list(WebhookDelivery.objects.values_list("pk", flat=True)) == [waiting.pk]


def test_the_sweep_and_the_pruning_are_periodic_tasks() -> None:
    from porth.background.service import registered

    assert registered()["integrations.sweep"].task is delivery.sweep
    assert registered()["integrations.prune"].task is delivery.prune
