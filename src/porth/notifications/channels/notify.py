"""GOV.UK Notify, through its official client (notifications-python-client).

Notify sends only through templates kept in Notify, so Porth renders the message itself and
hands it to one generic template per kind: email with subject ((subject)) and body ((body)),
text message with body ((body)) (PORTH_NOTIFY_EMAIL_TEMPLATE_ID, PORTH_NOTIFY_SMS_TEMPLATE_ID).
Each message carries the notification's `reference`, by which `find` asks Notify whether it
already has it, and by which Notify's delivery receipts are matched to the notification.

What Notify answers, and what Porth does with it:
  400 (BadRequestError, ValidationError): the message will never go as it is → permanent
  403 (AuthError): the API key or the server's clock is wrong → technical (an operator's job)
  429 (RateLimitError, TooManyRequestsError): too fast, or the day's limit → temporary, after
      the Retry-After the answer gives, or a minute
  5xx, or no answer at all → temporary
"""

import re
from email.utils import parsedate_to_datetime
from typing import Any, NoReturn

from django.conf import settings
from django.utils import timezone
from notifications_python_client import NotificationsAPIClient
from notifications_python_client.errors import APIError, InvalidResponse

from .base import Channel, Message, PermanentFailure, Sent, TechnicalFailure, TemporaryFailure

# Seconds to wait for Notify; a send that times out may still have been taken, which `find`
# tells the next attempt.
TIMEOUT = 20
# When Notify says 429 without saying how long to wait.
RATE_LIMIT_WAIT = 60.0
# Notify's statuses of a message that failed: a resend of one of these is not a duplicate.
_FAILED = {"permanent-failure", "temporary-failure", "technical-failure", "validation-failed"}
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# Anything that looks like an address or a phone number, kept out of what staff are shown.
_ADDRESSES = re.compile(r"\S+@\S+|\+?\d[\d ()-]{6,}\d")
MAX_DETAIL = 300  # Notification.status_detail


def parse_key(key: str) -> tuple[str, str]:
    """(service id, secret) of an API key in Notify's format: the key's name, then the service
    id and the secret, each a UUID, joined by hyphens. ValueError says what is wrong."""
    if len(key) < 74 or key[-37] != "-" or key[-74] != "-":
        raise ValueError(
            "it is not a GOV.UK Notify API key: one looks like "
            "name-11111111-1111-1111-1111-111111111111-22222222-2222-2222-2222-222222222222"
        )
    service_id, secret = key[-73:-37], key[-36:]
    if not (_UUID.match(service_id) and _UUID.match(secret)):
        raise ValueError("its service id and secret (the last two parts) must be UUIDs")
    return service_id, secret


def is_uuid(value: str) -> bool:
    return bool(_UUID.match(value))


class NotifyChannel(Channel):
    name = "notify"
    kinds = frozenset({"email", "sms"})

    def __init__(self) -> None:
        self._client: NotificationsAPIClient | None = None

    def client(self) -> NotificationsAPIClient:
        if self._client is None:
            key = settings.PORTH_NOTIFY_API_KEY
            try:
                parse_key(key)
            except ValueError as error:
                raise TechnicalFailure(
                    f"PORTH_NOTIFY_API_KEY is not set up: {error}"
                    if key
                    else "PORTH_NOTIFY_API_KEY is not set"
                ) from None
            self._client = NotificationsAPIClient(
                key, base_url=settings.PORTH_NOTIFY_BASE_URL, timeout=TIMEOUT
            )
        return self._client

    def send(self, message: Message) -> Sent:
        client = self.client()
        try:
            if message.kind == "email":
                response = client.send_email_notification(
                    email_address=message.to,
                    template_id=_template("PORTH_NOTIFY_EMAIL_TEMPLATE_ID"),
                    personalisation={"subject": message.subject, "body": message.body},
                    reference=message.reference,
                )
            else:
                response = client.send_sms_notification(
                    phone_number=message.to,
                    template_id=_template("PORTH_NOTIFY_SMS_TEMPLATE_ID"),
                    personalisation={"body": message.body},
                    reference=message.reference,
                )
        except APIError as error:
            _fail(error, message.to)
        return Sent(provider_id=str(response["id"]))

    def find(self, reference: str) -> Sent | None:
        """The message Notify has with this reference, unless it failed (a retry of a failed
        message is no duplicate). Raises TemporaryFailure when Notify cannot be asked: not
        knowing is no reason to risk sending twice."""
        try:
            answer = self.client().get_all_notifications(reference=reference)
        except APIError as error:
            _fail(error, "")
        for found in answer.get("notifications") or []:
            if found.get("reference") == reference and found.get("status") not in _FAILED:
                return Sent(provider_id=str(found["id"]), delivered=found["status"] == "delivered")
        return None


def _template(setting: str) -> str:
    template_id: str = getattr(settings, setting)
    if not is_uuid(template_id):
        raise TechnicalFailure(f"{setting} is not set to the id of a template in GOV.UK Notify")
    return template_id


def _fail(error: APIError, address: str) -> NoReturn:
    status = error.status_code
    said = _said(error, address)
    if error.response is None:
        raise TemporaryFailure("Porth could not reach GOV.UK Notify")
    if isinstance(error, InvalidResponse):  # it may have taken the message: `find` will say
        raise TemporaryFailure(f"GOV.UK Notify's answer could not be read (status {status})")
    if status == 400:
        raise PermanentFailure(_cut(f"GOV.UK Notify refused the message: {said}"))
    if status in {401, 403}:
        raise TechnicalFailure(
            _cut(
                f"GOV.UK Notify refused Porth's API key ({said}). "
                "Check PORTH_NOTIFY_API_KEY and the server's clock"
            )
        )
    if status == 429:
        raise TemporaryFailure(
            _cut(f"GOV.UK Notify asked Porth to send more slowly ({said})"),
            retry_after=_retry_after(error.response.headers.get("Retry-After")),
        )
    if status >= 500:
        raise TemporaryFailure(f"GOV.UK Notify had a problem (error {status})")
    # Anything else (a 404 from a wrong PORTH_NOTIFY_BASE_URL) is ours to fix.
    raise TechnicalFailure(
        _cut(f"GOV.UK Notify answered {status} ({said}). Check PORTH_NOTIFY_BASE_URL")
    )


def _said(error: APIError, address: str) -> str:
    """Notify's own words ("ValidationError: email_address Not a valid email address"),
    without the address if it repeats it."""
    message: Any = error.message
    if isinstance(message, list):
        text = "; ".join(
            f"{item.get('error', 'Error')}: {item.get('message', '')}"
            for item in message
            if isinstance(item, dict)
        )
    else:
        text = str(message)
    if address:
        text = re.sub(re.escape(address), "[address]", text, flags=re.IGNORECASE)
    return _ADDRESSES.sub("[address]", text)


def _retry_after(value: str | None) -> float:
    """Retry-After in seconds or as an HTTP date (RFC 9110), else a minute."""
    if value:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            return max(0.0, (parsedate_to_datetime(value) - timezone.now()).total_seconds())
        except (TypeError, ValueError):
            pass
    return RATE_LIMIT_WAIT


def _cut(text: str) -> str:
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"
