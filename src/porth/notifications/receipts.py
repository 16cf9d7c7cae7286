"""GOV.UK Notify's delivery receipts: POST /notifications/notify-callback.

Notify posts JSON with the bearer token set in its callback settings (here,
PORTH_NOTIFY_CALLBACK_TOKEN): {"id", "reference", "to", "status", "created_at",
"completed_at", "sent_at", "notification_type", "template_id", "template_version"}. The
notification is found by `reference` (the one Porth sent); `to` is neither kept nor logged.

Answers, in Notify's error format: 200 when the receipt is taken (or was already); 401 for a
missing or wrong token; 400 for a body that is not a receipt; 404 for a reference Porth does
not have (erased, or another system's). Notify tries again only after a 5xx, a 429 or no
answer, so a 4xx ends it: an unknown reference is not sent again and again.
"""

import hmac
import json
import logging
import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .actions import RECEIPT_STATUS, Receipt, UnknownReference, record_receipt

log = logging.getLogger(__name__)

KINDS = {"email", "sms"}  # Porth sends no letters
TIMES = ("created_at", "completed_at", "sent_at")


class Invalid(Exception):
    pass


@csrf_exempt  # a provider's callback, authenticated by its bearer token
@never_cache
@require_POST
def notify_callback(request: HttpRequest) -> JsonResponse:
    if not _authorised(request.headers.get("Authorization", "")):
        response = _error(401, "AuthError", "The bearer token is missing or wrong")
        response["WWW-Authenticate"] = 'Bearer realm="notify-callback"'
        return response
    try:
        receipt = _receipt(request.body)
    except Invalid as problem:
        return _error(400, "ValidationError", str(problem))
    try:
        notification = record_receipt(receipt)
    except UnknownReference:
        log.info(
            "A delivery receipt for no notification of ours (Notify id %s)", receipt.provider_id
        )
        return _error(404, "NotFound", "No notification has this reference")
    return JsonResponse({"reference": notification.reference, "status": notification.status})


def _authorised(header: str) -> bool:
    token = settings.PORTH_NOTIFY_CALLBACK_TOKEN
    scheme, _, given = header.partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    # Compared in constant time, so that timing tells nothing of the token.
    return hmac.compare_digest(given.strip().encode(), token.encode())


def _receipt(body: bytes) -> Receipt:
    try:
        data: Any = json.loads(body)
    except ValueError:
        raise Invalid("The body is not JSON") from None
    if not isinstance(data, dict):
        raise Invalid("The body is not a JSON object")
    provider_id = _text(data, "id")
    try:
        uuid.UUID(provider_id)
    except ValueError:
        raise Invalid("id is not a UUID") from None
    reference = _text(data, "reference")
    status = _text(data, "status")
    if status not in RECEIPT_STATUS:
        raise Invalid(f"status is not one of Notify's: {', '.join(RECEIPT_STATUS)}")
    kind = _text(data, "notification_type")
    if kind not in KINDS:
        raise Invalid("notification_type is not email or sms")
    if not isinstance(data.get("to"), str):
        raise Invalid("to is missing or not text")
    for name in TIMES:
        value = data.get(name)
        if name == "created_at" or value is not None:
            _time(name, value)
    return Receipt(provider_id=provider_id, reference=reference, status=status, kind=kind)


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value or len(value) > 200:
        raise Invalid(f"{name} is missing or not text")
    return value


def _time(name: str, value: Any) -> datetime:
    """Notify's timestamps: ISO 8601, such as 2026-12-07T10:15:30.123456Z."""
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise Invalid(f"{name} is not a date and time") from None


def _error(status: int, error: str, message: str) -> JsonResponse:
    return JsonResponse(
        {"status_code": status, "errors": [{"error": error, "message": message}]}, status=status
    )
