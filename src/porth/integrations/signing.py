"""Webhook secrets and signatures, as Standard Webhooks (standardwebhooks.com) has them: a
secret "whsec_<base64>", and on every request the headers webhook-id, webhook-timestamp and
webhook-signature ("v1,<base64 HMAC-SHA256 of id.timestamp.body>"). Receivers check them with
any Standard Webhooks library (docs/integrations.md shows how)."""

import base64
import secrets
from datetime import datetime
from math import floor

from standardwebhooks import Webhook

from porth.utils.crypto import decrypt, encrypt

from .models import WebhookEndpoint


def _context(endpoint_key: str) -> str:
    return f"webhook:{endpoint_key}"


def new_secret() -> str:
    """A new secret: "whsec_" and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def seal(endpoint: WebhookEndpoint, secret: str) -> None:
    """Keep `secret` on the endpoint, encrypted (Porth signs with it, so no hash will do)."""
    endpoint.secret, endpoint.key_id = encrypt(secret, context=_context(endpoint.key))


def secret_of(endpoint: WebhookEndpoint) -> str:
    return str(decrypt(endpoint.secret, endpoint.key_id, context=_context(endpoint.key)))


def headers(secret: str, message_id: str, body: bytes, at: datetime) -> dict[str, str]:
    """The signature headers for one attempt to send `body`."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(floor(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
    }
