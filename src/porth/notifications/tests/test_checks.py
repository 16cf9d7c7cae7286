"""A server that cannot send messages says so when it starts."""

from typing import Any

import pytest

from porth.notifications.checks import notification_channel

from .fake_notify import FakeNotify


def ids(settings: Any) -> list[str | None]:
    return [problem.id for problem in notification_channel(None)]


def test_the_development_outbox_is_fine(settings: Any) -> None:
    settings.PORTH_NOTIFICATION_CHANNEL = "outbox"
    assert ids(settings) == []


def test_the_outbox_is_refused_in_production(settings: Any) -> None:
    settings.PORTH_NOTIFICATION_CHANNEL = "outbox"
    settings.PRODUCTION = True
    assert ids(settings) == ["notifications.E002"]


def test_a_channel_nobody_registered_is_refused(settings: Any) -> None:
    settings.PORTH_NOTIFICATION_CHANNEL = "pigeon"
    (problem,) = notification_channel(None)
    assert problem.id == "notifications.E001"
    assert "notify, outbox, smtp" in str(problem.hint)


@pytest.fixture
def notify(settings: Any) -> FakeNotify:
    fake = FakeNotify()
    settings.PORTH_NOTIFICATION_CHANNEL = "notify"
    settings.PORTH_NOTIFY_API_KEY = fake.api_key
    settings.PORTH_NOTIFY_EMAIL_TEMPLATE_ID = fake.email_template.id
    settings.PORTH_NOTIFY_SMS_TEMPLATE_ID = fake.sms_template.id
    settings.PORTH_NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"
    settings.PORTH_NOTIFY_CALLBACK_TOKEN = "a-long-random-token"
    settings.PRODUCTION = True
    return fake


def test_notify_set_up_in_full_is_fine(notify: FakeNotify, settings: Any) -> None:
    assert ids(settings) == []


def test_notify_needs_a_key_and_both_templates_in_production(
    notify: FakeNotify, settings: Any
) -> None:
    settings.PORTH_NOTIFY_API_KEY = ""
    settings.PORTH_NOTIFY_EMAIL_TEMPLATE_ID = ""
    settings.PORTH_NOTIFY_SMS_TEMPLATE_ID = "sms-template"
    problems = notification_channel(None)
    assert [p.id for p in problems] == [
        "notifications.E003",
        "notifications.E004",
        "notifications.E004",
    ]
    assert problems[0].msg == "PORTH_NOTIFY_API_KEY is not set"
    assert "PORTH_NOTIFY_SMS_TEMPLATE_ID" in problems[2].msg


def test_a_key_in_the_wrong_format_is_refused(notify: FakeNotify, settings: Any) -> None:
    settings.PORTH_NOTIFY_API_KEY = notify.secret  # only the secret, pasted alone
    (problem,) = notification_channel(None)
    assert problem.id == "notifications.E003"
    assert "not a GOV.UK Notify API key" in problem.msg


def test_notify_over_plain_http_is_refused_in_production(notify: FakeNotify, settings: Any) -> None:
    settings.PORTH_NOTIFY_BASE_URL = "http://api.notifications.service.gov.uk"
    assert ids(settings) == ["notifications.E006"]
    settings.PRODUCTION = False  # a local fake Notify, in development
    assert ids(settings) == []


def test_without_a_callback_token_receipts_are_refused_and_a_warning_says_so(
    notify: FakeNotify, settings: Any
) -> None:
    settings.PORTH_NOTIFY_CALLBACK_TOKEN = ""
    assert ids(settings) == ["notifications.W001"]


def test_a_wrong_smtp_url_is_refused(settings: Any) -> None:
    settings.PORTH_NOTIFICATION_CHANNEL = "smtp"
    settings.PORTH_SMTP_URL = "mail.example:25"
    (problem,) = notification_channel(None)
    assert problem.id == "notifications.E007"
    assert "must start smtp://" in problem.msg


def test_a_password_sent_without_tls_is_warned_of_in_production(settings: Any) -> None:
    settings.PORTH_NOTIFICATION_CHANNEL = "smtp"
    settings.PORTH_SMTP_URL = "smtp://porth:secret@mail.example:25"
    settings.PRODUCTION = True
    assert ids(settings) == ["notifications.W002"]
    settings.PORTH_SMTP_URL = "smtp://porth:secret@mail.example?tls=starttls"
    assert ids(settings) == []
