"""GOV.UK Notify's delivery receipts update the notification they are about."""

import json
from typing import Any

import pytest
from django.test import Client

from porth.casework.display import timeline
from porth.casework.models import CaseEvent
from porth.casework.tests.helpers import make_case, organisation
from porth.notifications.channels import Message, channel
from porth.notifications.models import Notification, Status

from .factories import make_notification
from .fake_notify import FakeNotify
from .fake_notify import fake_notify as fake_notify  # a fixture

pytestmark = pytest.mark.django_db

TOKEN = "a-long-random-callback-token-0123456789"
URL = "/notifications/notify-callback"


@pytest.fixture(autouse=True)
def _token(settings: Any) -> None:
    settings.PORTH_NOTIFY_CALLBACK_TOKEN = TOKEN


def post(client: Client, payload: Any, token: str | None = TOKEN) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(URL, body, content_type="application/json", headers=headers)


def receipt(notification: Notification, status: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": notification.provider_id or "f2b3c1a0-1111-4222-8333-444455556666",
        "reference": notification.reference,
        "to": "jo.bloggs@example.com",
        "status": status,
        "created_at": "2026-12-07T10:15:30.123456Z",
        "completed_at": "2026-12-07T10:15:33.000001Z",
        "sent_at": "2026-12-07T10:15:31.000000Z",
        "notification_type": notification.kind,
        "template_id": "d0a9c0f4-4c0e-4d6c-9bd8-6f1f8d1c1a11",
        "template_version": 1,
    } | fields


def sent(case: Any = None, **fields: Any) -> Notification:
    return make_notification(
        case,
        status=Status.SENDING,
        provider_id="f2b3c1a0-1111-4222-8333-444455556666",
        **fields,
    )


def test_a_delivered_receipt_marks_the_notification_delivered(client: Client) -> None:
    notification = sent()

    response = post(client, receipt(notification, "delivered"))

    assert response.status_code == 200
    assert response.json() == {"reference": notification.reference, "status": "delivered"}
    notification.refresh_from_db()
    assert notification.status == Status.DELIVERED


def test_a_permanent_failure_goes_on_the_case_timeline(client: Client) -> None:
    case = make_case(organisation())
    notification = sent(case)

    response = post(client, receipt(notification, "permanent-failure"))

    assert response.status_code == 200
    notification.refresh_from_db()
    assert notification.status == Status.PERMANENT_FAILURE
    assert "email address does not exist" in notification.status_detail
    assert "jo.bloggs" not in notification.status_detail
    (entry,) = [e for e in timeline(case) if e.kind == "notification_failed"]
    assert entry.title == "Message to the applicant failed"
    assert entry.text.startswith(
        "Email not delivered (confirmation of the application): "
        "GOV.UK Notify could not deliver it: the email address does not exist"
    )


def test_a_repeated_receipt_changes_nothing_more(client: Client) -> None:
    case = make_case(organisation())
    notification = sent(case)

    post(client, receipt(notification, "permanent-failure"))
    post(client, receipt(notification, "permanent-failure"))

    assert CaseEvent.objects.filter(case=case, kind="notification_failed").count() == 1


def test_a_late_sending_receipt_does_not_undo_delivered(client: Client) -> None:
    notification = sent()
    post(client, receipt(notification, "delivered"))

    response = post(client, receipt(notification, "sending"))

    assert response.json()["status"] == "delivered"


def test_a_text_message_notify_gave_up_on_is_a_temporary_failure_staff_can_retry(
    client: Client,
) -> None:
    notification = sent(kind="sms", to="07700900003", subject="")
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at="2026-12-07T10:00Z")

    post(client, receipt(notification, "temporary-failure"))

    notification.refresh_from_db()
    assert notification.status == Status.TEMPORARY_FAILURE
    assert notification.next_attempt_at is None  # no attempt of ours is due
    assert "phone may be off" in notification.status_detail


def test_a_receipt_for_an_earlier_send_is_ignored(client: Client) -> None:
    notification = sent()

    response = post(
        client,
        receipt(notification, "permanent-failure", id="00000000-1111-4222-8333-444455556666"),
    )

    assert response.status_code == 200
    notification.refresh_from_db()
    assert notification.status == Status.SENDING


def test_a_receipt_fills_in_the_provider_id_a_dead_worker_did_not_write(client: Client) -> None:
    notification = make_notification(status=Status.SENDING)

    post(client, receipt(notification, "delivered", id="0b7c5c0e-1111-4222-8333-444455556666"))

    notification.refresh_from_db()
    assert notification.provider_id == "0b7c5c0e-1111-4222-8333-444455556666"
    assert notification.status == Status.DELIVERED


@pytest.mark.parametrize("token", [None, "", "wrong", TOKEN + "x", TOKEN[:-1]])
def test_a_missing_or_wrong_token_is_refused(client: Client, token: str | None) -> None:
    notification = sent()

    response = post(client, receipt(notification, "delivered"), token=token)

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["errors"][0]["error"] == "AuthError"
    notification.refresh_from_db()
    assert notification.status == Status.SENDING


def test_without_a_token_set_up_every_receipt_is_refused(client: Client, settings: Any) -> None:
    settings.PORTH_NOTIFY_CALLBACK_TOKEN = ""
    assert post(client, receipt(sent(), "delivered"), token="").status_code == 401


def test_another_scheme_is_refused(client: Client) -> None:
    response = client.post(
        URL,
        json.dumps(receipt(sent(), "delivered")),
        content_type="application/json",
        headers={"Authorization": f"Basic {TOKEN}"},
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "lost"}, "status is not one of Notify's"),
        ({"status": None}, "status is missing"),
        ({"id": "123"}, "id is not a UUID"),
        ({"reference": None}, "reference is missing"),
        ({"notification_type": "letter"}, "notification_type is not email or sms"),
        ({"to": 7}, "to is missing"),
        ({"created_at": "yesterday"}, "created_at is not a date and time"),
        ({"completed_at": 12}, "completed_at is not a date and time"),
    ],
)
def test_a_body_that_is_not_a_receipt_is_refused(
    client: Client, change: dict[str, Any], message: str
) -> None:
    response = post(client, receipt(sent(), "delivered") | change)

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith(message)


@pytest.mark.parametrize("body", ["not json", "[1, 2]", ""])
def test_a_body_that_is_not_a_json_object_is_refused(client: Client, body: str) -> None:
    assert post(client, body).status_code == 400


def test_an_unknown_reference_is_a_404_so_that_notify_stops(client: Client) -> None:
    response = post(client, receipt(sent(), "delivered", reference="not-ours"))

    assert response.status_code == 404
    assert response.json() == {
        "status_code": 404,
        "errors": [{"error": "NotFound", "message": "No notification has this reference"}],
    }


def test_only_post_is_allowed(client: Client) -> None:
    assert client.get(URL).status_code == 405


def test_receipts_from_the_fake_notify_update_what_was_sent(
    client: Client, fake_notify: FakeNotify
) -> None:
    """End to end: sent through the Notify channel to Notify's test addresses, each message
    gets the status Notify's receipt gives it."""
    case = make_case(organisation())
    addresses = ["perm-fail@simulator.notify", "temp-fail@simulator.notify", "jo@example.com"]
    notifications = [make_notification(case, to=to, status=Status.SENDING) for to in addresses]
    for notification, to in zip(notifications, addresses, strict=True):
        result = channel("notify").send(
            Message(notification.reference, "email", to, "Subject", "Body", "en")
        )
        Notification.objects.filter(pk=notification.pk).update(provider_id=result.provider_id)

    for callback in fake_notify.callbacks:
        assert post(client, callback).status_code == 200

    statuses = [Notification.objects.get(pk=n.pk).status for n in notifications]
    assert statuses == [Status.PERMANENT_FAILURE, Status.TEMPORARY_FAILURE, Status.DELIVERED]
    assert CaseEvent.objects.filter(case=case, kind="notification_failed").count() == 2


def test_a_receipt_that_comes_while_the_worker_is_still_recording_the_send_wins(
    client: Client,
) -> None:
    """Notify can report before the worker that sent the message has written down that it
    did: the receipt is kept, and the worker (its claim gone) does not overwrite it."""
    in_flight = make_notification(
        status=Status.SENDING,
        attempts=1,
        next_attempt_at="2026-12-07T10:02Z",
        lease_until="2026-12-07T10:02Z",
    )

    post(client, receipt(in_flight, "delivered", id="0b7c5c0e-1111-4222-8333-444455556666"))

    in_flight.refresh_from_db()
    assert in_flight.status == Status.DELIVERED
    assert (in_flight.next_attempt_at, in_flight.lease_until) == (None, None)
    assert in_flight.provider_id == "0b7c5c0e-1111-4222-8333-444455556666"
