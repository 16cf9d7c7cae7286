"""System checks for sending messages: a server that cannot send says so when it starts,
not when the first applicant waits for an email."""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from . import channels
from .channels.notify import is_uuid, parse_key
from .channels.smtp import parse_url


@register()
def notification_channel(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    name = settings.PORTH_NOTIFICATION_CHANNEL
    if name not in channels.registered():
        return [
            Error(
                f"PORTH_NOTIFICATION_CHANNEL is {name!r}, which is no channel Porth knows",
                hint=f"Choose one of {', '.join(sorted(channels.registered()))}",
                id="notifications.E001",
            )
        ]
    if name == "outbox" and settings.PRODUCTION:
        return [
            Error(
                "PORTH_NOTIFICATION_CHANNEL is outbox in production: messages would be kept "
                "in the database and reach nobody (the outbox is for development)",
                hint="Set PORTH_NOTIFICATION_CHANNEL=notify (GOV.UK Notify) or smtp",
                id="notifications.E002",
            )
        ]
    if name == "notify":
        return _notify()
    if name == "smtp":
        return _smtp()
    return []


def _notify() -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    key = settings.PORTH_NOTIFY_API_KEY
    try:
        parse_key(key)
    except ValueError as error:
        problems.append(
            Error(
                f"PORTH_NOTIFY_API_KEY: {error}" if key else "PORTH_NOTIFY_API_KEY is not set",
                hint="Create a live API key on GOV.UK Notify's API integration page",
                id="notifications.E003",
            )
        )
    for setting, kind in (
        ("PORTH_NOTIFY_EMAIL_TEMPLATE_ID", "an email template with subject ((subject))"),
        ("PORTH_NOTIFY_SMS_TEMPLATE_ID", "a text message template"),
    ):
        if not is_uuid(getattr(settings, setting)):
            problems.append(
                Error(
                    f"{setting} is not the id of a template in GOV.UK Notify",
                    hint=f"Make {kind} and body ((body)) in Notify, and set its id here",
                    id="notifications.E004",
                )
            )
    url = urlsplit(settings.PORTH_NOTIFY_BASE_URL)
    if url.scheme not in {"https", "http"} or not url.hostname:
        problems.append(
            Error(
                "PORTH_NOTIFY_BASE_URL is not a web address",
                hint="Leave it unset for GOV.UK Notify (https://api.notifications.service.gov.uk)",
                id="notifications.E005",
            )
        )
    elif url.scheme != "https" and settings.PRODUCTION:
        problems.append(
            Error(
                "PORTH_NOTIFY_BASE_URL is not https: the API key's tokens would cross the "
                "network readable",
                hint="Leave it unset for GOV.UK Notify (https://api.notifications.service.gov.uk)",
                id="notifications.E006",
            )
        )
    if settings.PRODUCTION and not settings.PORTH_NOTIFY_CALLBACK_TOKEN:
        problems.append(
            Warning(
                "PORTH_NOTIFY_CALLBACK_TOKEN is not set: Notify's delivery receipts are "
                "refused, so messages stay 'sending' and failures are not seen",
                hint="Set a long random token here and in Notify's callback settings, with "
                "the URL https://<this site>/notifications/notify-callback",
                id="notifications.W001",
            )
        )
    return problems


def _smtp() -> list[CheckMessage]:
    try:
        server = parse_url(settings.PORTH_SMTP_URL)
    except ValueError as error:
        return [
            Error(
                f"PORTH_SMTP_URL: {error}",
                hint="For example smtp://user:password@mail.example:587?tls=starttls",
                id="notifications.E007",
            )
        ]
    if settings.PRODUCTION and server.user and not server.tls:
        return [
            Warning(
                "PORTH_SMTP_URL sends a password without TLS",
                hint="Add ?tls=starttls (or ?tls=ssl) to PORTH_SMTP_URL",
                id="notifications.W002",
            )
        ]
    return []
