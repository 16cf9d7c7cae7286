"""What a notification says and to whom, encrypted at rest: {"to", "subject", "body"}.

Every reader and writer of `Notification.content` (and of the outbox's copy) goes through
here, so that the encryption context is written in one place.
"""

from typing import Any, TypedDict

from porth.utils.crypto import decrypt, encrypt

from .models import Notification, OutboxMessage


class Content(TypedDict):
    to: str
    subject: str
    body: str


def context(reference: str) -> str:
    return f"notification:{reference}"


def outbox_context(reference: str) -> str:
    return f"outbox:{reference}"


def seal(reference: str, content: Content) -> tuple[bytes, str]:
    """(blob, key id) for `Notification.content` and `key_id`."""
    return encrypt(dict(content), context=context(reference))


def read(notification: Notification) -> Content | None:
    """The message as it was sent, or None once erased."""
    if not notification.content:
        return None
    return _content(
        decrypt(notification.content, notification.key_id, context=context(notification.reference))
    )


def read_outbox(message: OutboxMessage) -> Content:
    return _content(
        decrypt(message.content, message.key_id, context=outbox_context(message.reference))
    )


def _content(data: Any) -> Content:
    return Content(
        to=str(data.get("to", "")),
        subject=str(data.get("subject", "")),
        body=str(data.get("body", "")),
    )
