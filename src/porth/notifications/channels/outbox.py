"""The local outbox: messages are kept in the database instead of being sent, for a
developer to read at /dev/outbox (`make run` uses it). Refused in production by a system
check (porth.notifications.checks), as nothing it takes reaches anyone.

A message is kept once per reference, so a resend finds the first and keeps no second.
"""

from porth.utils.crypto import encrypt

from ..content import outbox_context
from ..models import OutboxMessage
from .base import Channel, Message, Sent


class OutboxChannel(Channel):
    name = "outbox"
    kinds = frozenset({"email", "sms"})

    def send(self, message: Message) -> Sent:
        blob, key_id = encrypt(
            {"to": message.to, "subject": message.subject, "body": message.body},
            context=outbox_context(message.reference),
        )
        kept, _ = OutboxMessage.objects.get_or_create(
            reference=message.reference,
            defaults={
                "kind": message.kind,
                "language": message.language,
                "content": blob,
                "key_id": key_id,
            },
        )
        return _sent(kept)

    def find(self, reference: str) -> Sent | None:
        kept = OutboxMessage.objects.filter(reference=reference).first()
        return _sent(kept) if kept else None


def _sent(kept: OutboxMessage) -> Sent:
    # Nothing more will happen to it: it is as delivered as it will ever be.
    return Sent(provider_id=f"outbox-{kept.pk}", delivered=True)
