"""The GOV.UK Notify channel, through the official client, against a local Notify that checks
requests as Notify does and answers as it does."""

import time
from typing import Any

import jwt
import pytest
import requests

from porth.notifications.channels import (
    Message,
    PermanentFailure,
    TechnicalFailure,
    TemporaryFailure,
    channel,
)
from porth.notifications.channels.notify import parse_key

from .fake_notify import FakeNotify
from .fake_notify import fake_notify as fake_notify  # a fixture


def email(to: str = "sian.jones@example.com", **fields: Any) -> Message:
    values: dict[str, Any] = {
        "reference": "8f14e45fceea167a5a36dedd4bea2543",
        "kind": "email",
        "to": to,
        "subject": "Your application BB-ACDE-FGHJ",
        "body": "Diolch, Siân.\n\nWe have your application.",
        "language": "cy",
    }
    return Message(**(values | fields))


def sms(to: str = "07700 900123", **fields: Any) -> Message:
    values: dict[str, Any] = {
        "reference": "c9f0f895fb98ab9159f51fd0297e236d",
        "kind": "sms",
        "to": to,
        "subject": "",
        "body": "We have your application BB-ACDE-FGHJ.",
        "language": "en",
    }
    return Message(**(values | fields))


def test_an_email_goes_through_the_generic_template_with_its_subject_body_and_reference(
    fake_notify: FakeNotify,
) -> None:
    sent = channel("notify").send(email())

    (notification,) = fake_notify.notifications
    assert sent.provider_id == notification.id
    assert not sent.delivered  # a receipt will say
    assert notification.request == {
        "email_address": "sian.jones@example.com",
        "template_id": fake_notify.email_template.id,
        "personalisation": {
            "subject": "Your application BB-ACDE-FGHJ",
            "body": "Diolch, Siân.\n\nWe have your application.",
        },
        "reference": "8f14e45fceea167a5a36dedd4bea2543",
    }
    assert notification.subject == "Your application BB-ACDE-FGHJ"
    assert notification.body == "Diolch, Siân.\n\nWe have your application."


def test_a_text_message_goes_through_the_text_template(fake_notify: FakeNotify) -> None:
    sent = channel("notify").send(sms())

    (notification,) = fake_notify.notifications
    assert sent.provider_id == notification.id
    assert notification.request == {
        "phone_number": "07700 900123",
        "template_id": fake_notify.sms_template.id,
        "personalisation": {"body": "We have your application BB-ACDE-FGHJ."},
        "reference": "c9f0f895fb98ab9159f51fd0297e236d",
    }
    assert notification.body == "We have your application BB-ACDE-FGHJ."


def test_an_invalid_address_is_a_permanent_failure_in_notifys_words_without_the_address(
    fake_notify: FakeNotify,
) -> None:
    with pytest.raises(PermanentFailure) as failure:
        channel("notify").send(email(to="sian.jones@example"))

    assert failure.value.message == (
        "GOV.UK Notify refused the message: "
        "ValidationError: email_address Not a valid email address"
    )
    assert fake_notify.notifications == []


def test_an_invalid_phone_number_is_a_permanent_failure(fake_notify: FakeNotify) -> None:
    with pytest.raises(PermanentFailure) as failure:
        channel("notify").send(sms(to="07700 9001"))
    assert failure.value.message.endswith("ValidationError: phone_number Not enough digits")


def test_a_recipient_a_team_key_may_not_send_to_is_a_permanent_failure(
    fake_notify: FakeNotify,
) -> None:
    fake_notify.allowed_recipients = {"team@example.gov.uk"}

    with pytest.raises(PermanentFailure) as failure:
        channel("notify").send(email())

    assert "Can't send to this recipient using a team-only API key" in failure.value.message


def test_an_address_notify_repeats_in_its_answer_is_not_kept(fake_notify: FakeNotify) -> None:
    fake_notify.answer_next(
        400, "BadRequestError", "sian.jones@example.com is on the suppression list"
    )

    with pytest.raises(PermanentFailure) as failure:
        channel("notify").send(email())

    assert "sian.jones" not in failure.value.message
    assert failure.value.message.endswith("BadRequestError: [address] is on the suppression list")


def test_a_key_notify_does_not_know_is_a_technical_failure(
    fake_notify: FakeNotify, settings: Any
) -> None:
    other = FakeNotify()
    settings.PORTH_NOTIFY_API_KEY = f"porth-{fake_notify.service_id}-{other.secret}"

    with pytest.raises(TechnicalFailure) as failure:
        channel("notify").send(email())

    assert "AuthError: Invalid token: API key not found" in failure.value.message
    assert "PORTH_NOTIFY_API_KEY" in failure.value.message


def test_a_clock_more_than_30_seconds_out_is_a_technical_failure(fake_notify: FakeNotify) -> None:
    fake_notify.clock = lambda: time.time() + 31

    with pytest.raises(TechnicalFailure) as failure:
        channel("notify").send(email())

    assert "Your system clock must be accurate to within 30 seconds" in failure.value.message


def test_a_clock_within_30_seconds_is_fine(fake_notify: FakeNotify) -> None:
    fake_notify.clock = lambda: time.time() - 25
    channel("notify").send(email())
    assert len(fake_notify.notifications) == 1


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ("RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"),
        ("TooManyRequestsError", "Exceeded send limits (250000) for today"),
    ],
)
def test_too_many_requests_is_a_temporary_failure_after_a_minute(
    fake_notify: FakeNotify, error: str, message: str
) -> None:
    fake_notify.answer_next(429, error, message)

    with pytest.raises(TemporaryFailure) as failure:
        channel("notify").send(email())

    assert failure.value.retry_after == 60
    assert f"{error}: {message}" in failure.value.message


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("7", 7.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0), ("soon", 60.0)],
)
def test_a_retry_after_header_says_how_long_to_wait(
    fake_notify: FakeNotify, header: str, seconds: float
) -> None:
    fake_notify.answer_next(
        429, "RateLimitError", "Exceeded rate limit", headers={"Retry-After": header}
    )
    with pytest.raises(TemporaryFailure) as failure:
        channel("notify").send(email())
    assert failure.value.retry_after == seconds


def test_a_server_error_is_a_temporary_failure(fake_notify: FakeNotify) -> None:
    fake_notify.answer_next(500, "Exception", "Internal server error")

    with pytest.raises(TemporaryFailure) as failure:
        channel("notify").send(email())

    assert failure.value.message == "GOV.UK Notify had a problem (error 500)"
    assert failure.value.retry_after is None


def test_notify_out_of_reach_is_a_temporary_failure(settings: Any) -> None:
    fake = FakeNotify()
    with fake.running():
        url = fake.url  # nothing listens there once it stops
    settings.PORTH_NOTIFY_API_KEY = fake.api_key
    settings.PORTH_NOTIFY_BASE_URL = url
    settings.PORTH_NOTIFY_EMAIL_TEMPLATE_ID = fake.email_template.id

    with pytest.raises(TemporaryFailure) as failure:
        channel("notify").send(email())

    assert failure.value.message == "Porth could not reach GOV.UK Notify"


def test_an_answer_notify_does_not_give_is_a_technical_failure(fake_notify: FakeNotify) -> None:
    # What a wrong PORTH_NOTIFY_BASE_URL (another server) would answer.
    fake_notify.answer_next(404, "ResourceNotFound", "The requested URL was not found")

    with pytest.raises(TechnicalFailure) as failure:
        channel("notify").send(email())

    assert "PORTH_NOTIFY_BASE_URL" in failure.value.message


@pytest.mark.parametrize(
    ("key", "reason"),
    [("", "PORTH_NOTIFY_API_KEY is not set"), ("secret", "is not a GOV.UK Notify API key")],
)
def test_a_missing_or_malformed_key_is_a_technical_failure_before_any_request(
    fake_notify: FakeNotify, settings: Any, key: str, reason: str
) -> None:
    settings.PORTH_NOTIFY_API_KEY = key

    with pytest.raises(TechnicalFailure) as failure:
        channel("notify").send(email())

    assert reason in failure.value.message
    assert fake_notify.requests == []


def test_a_missing_template_id_is_a_technical_failure(
    fake_notify: FakeNotify, settings: Any
) -> None:
    settings.PORTH_NOTIFY_SMS_TEMPLATE_ID = ""

    with pytest.raises(TechnicalFailure) as failure:
        channel("notify").send(sms())

    assert "PORTH_NOTIFY_SMS_TEMPLATE_ID" in failure.value.message


def test_a_template_notify_does_not_have_is_a_permanent_failure(
    fake_notify: FakeNotify, settings: Any
) -> None:
    settings.PORTH_NOTIFY_EMAIL_TEMPLATE_ID = fake_notify.sms_template.id

    with pytest.raises(PermanentFailure) as failure:
        channel("notify").send(email())

    assert failure.value.message.endswith("BadRequestError: Template not found")


# --- find: is a message Notify already has sent again? -------------------------------------------


def test_find_knows_a_message_notify_already_has(fake_notify: FakeNotify) -> None:
    sent = channel("notify").send(email())

    found = channel("notify").find(email().reference)

    assert found is not None
    assert found.provider_id == sent.provider_id
    assert found.delivered


def test_find_says_none_for_a_message_notify_never_took(fake_notify: FakeNotify) -> None:
    assert channel("notify").find("0" * 32) is None


def test_find_ignores_a_message_that_failed_so_that_a_retry_sends_it(
    fake_notify: FakeNotify,
) -> None:
    channel("notify").send(email(to="perm-fail@simulator.notify"))
    assert channel("notify").find(email().reference) is None


def test_find_raises_when_notify_cannot_be_asked_rather_than_risk_a_second_send(
    fake_notify: FakeNotify,
) -> None:
    fake_notify.answer_next(500, "Exception", "Internal server error")
    with pytest.raises(TemporaryFailure):
        channel("notify").find(email().reference)


# --- Notify's test addresses ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("to", "status"),
    [
        ("temp-fail@simulator.notify", "temporary-failure"),
        ("perm-fail@simulator.notify", "permanent-failure"),
        ("delivered@simulator.notify", "delivered"),
        ("07700900003", "temporary-failure"),
        ("07700900002", "permanent-failure"),
        ("07700900001", "delivered"),
    ],
)
def test_notifys_test_addresses_get_their_receipts(
    fake_notify: FakeNotify, to: str, status: str
) -> None:
    message = email(to=to) if "@" in to else sms(to=to)
    sent = channel("notify").send(message)

    (receipt,) = fake_notify.callbacks
    assert receipt["id"] == sent.provider_id
    assert receipt["reference"] == message.reference
    assert receipt["status"] == status
    assert receipt["notification_type"] == message.kind


def test_smoke_test_addresses_are_taken_and_kept_nowhere(fake_notify: FakeNotify) -> None:
    channel("notify").send(email(to="simulate-delivered@notifications.service.gov.uk"))
    assert fake_notify.notifications == [] and fake_notify.callbacks == []


# --- The fake checks what Notify checks ----------------------------------------------------------


def _token(fake: FakeNotify, **claims: Any) -> str:
    payload = {"iss": fake.service_id, "iat": int(time.time())} | claims
    return jwt.encode(payload, fake.secret, algorithm="HS256")


@pytest.mark.parametrize(
    ("authorization", "status", "message"),
    [
        (None, 401, "Unauthorized: authentication token must be provided"),
        ("Basic abc", 401, "Unauthorized: authentication bearer scheme must be used"),
        ("Bearer not-a-token", 403, "Invalid token: make sure your API token"),
        ("iss missing", 403, "Invalid token: iss field not provided"),
        ("iss not a uuid", 403, "Invalid token: service id is not the right data type"),
        ("iat missing", 403, "Invalid token: API key not found"),
        ("iat 31 s ago", 403, "Error: Your system clock must be accurate to within 30 seconds"),
        ("iat 32 s ahead", 403, "Error: Your system clock must be accurate to within 30 seconds"),
        ("HS512", 403, "Invalid token: algorithm used is not HS256"),
    ],
)
def test_the_fake_refuses_tokens_as_notify_does(
    fake_notify: FakeNotify, authorization: str | None, status: int, message: str
) -> None:
    now = int(time.time())
    tokens = {
        "iss missing": jwt.encode({"iat": now}, fake_notify.secret, algorithm="HS256"),
        "iss not a uuid": _token(fake_notify, iss="porth"),
        "iat missing": jwt.encode({"iss": fake_notify.service_id}, fake_notify.secret),
        "iat 31 s ago": _token(fake_notify, iat=now - 31),
        # 32, not 31: the fake reads its clock in whole seconds, so a request landing after the
        # next second boundary sees 31 s ahead as 30 (in bounds). Failed once in CI.
        "iat 32 s ahead": _token(fake_notify, iat=now + 32),
        "HS512": jwt.encode(
            {"iss": fake_notify.service_id, "iat": now}, fake_notify.secret * 2, algorithm="HS512"
        ),
    }
    headers = {}
    if authorization is not None:
        headers["Authorization"] = (
            f"Bearer {tokens[authorization]}" if authorization in tokens else authorization
        )

    response = requests.get(f"{fake_notify.url}/v2/notifications", headers=headers, timeout=5)

    assert response.status_code == status
    (error,) = response.json()["errors"]
    assert error["error"] == "AuthError"
    assert error["message"].startswith(message)
    assert response.json()["status_code"] == status


def test_the_fake_checks_the_json_body_as_notify_does(fake_notify: FakeNotify) -> None:
    response = requests.post(
        f"{fake_notify.url}/v2/notifications/email",
        json={"template_id": "not-a-uuid", "emailaddress": "x@example.com", "reference": 7},
        headers={"Authorization": f"Bearer {_token(fake_notify)}"},
        timeout=5,
    )

    assert response.status_code == 400
    assert response.json() == {
        "status_code": 400,
        "errors": [
            {"error": "ValidationError", "message": "email_address is a required property"},
            {
                "error": "ValidationError",
                "message": "Additional properties are not allowed ('emailaddress' was unexpected)",
            },
            {"error": "ValidationError", "message": "template_id is not a valid UUID"},
            {"error": "ValidationError", "message": "reference 7 is not of type 'string'"},
        ],
    }


def test_the_fake_answers_a_send_with_notifys_201(fake_notify: FakeNotify) -> None:
    response = requests.post(
        f"{fake_notify.url}/v2/notifications/email",
        json={
            "email_address": "sian.jones@example.com",
            "template_id": fake_notify.email_template.id,
            "personalisation": {"subject": "Hello", "body": "World"},
            "reference": "abc",
            "email_reply_to_id": "a1b2c3d4-0000-4000-8000-000000000000",
        },
        headers={"Authorization": f"Bearer {_token(fake_notify)}"},
        timeout=5,
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "reference", "content", "uri", "template", "scheduled_for"}
    assert body["reference"] == "abc"
    assert body["content"]["subject"] == "Hello" and body["content"]["body"] == "World"
    assert body["template"]["id"] == fake_notify.email_template.id


def test_the_fake_needs_every_placeholder(fake_notify: FakeNotify) -> None:
    response = requests.post(
        f"{fake_notify.url}/v2/notifications/email",
        json={
            "email_address": "sian.jones@example.com",
            "template_id": fake_notify.email_template.id,
            "personalisation": {"body": "World"},
        },
        headers={"Authorization": f"Bearer {_token(fake_notify)}"},
        timeout=5,
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"error": "BadRequestError", "message": "Missing personalisation: subject"}
    ]


def test_a_key_in_notifys_format_splits_into_service_id_and_secret() -> None:
    fake = FakeNotify(key_name="my-key-with-hyphens")
    assert parse_key(fake.api_key) == (fake.service_id, fake.secret)
    with pytest.raises(ValueError, match=r"not a GOV\.UK Notify API key"):
        parse_key(fake.service_id + fake.secret)
