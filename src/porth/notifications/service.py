"""The notifications app's public API for other apps and the project's own modules.

Other apps import this module and `porth.notifications.models`; nothing else of
notifications. A `protected` import-linter contract (pyproject.toml) checks it.
"""

from dataclasses import dataclass
from datetime import datetime

from . import content
from .erasure import count_notifications, erase_notifications, next_to_erase
from .models import FAILED, Notification

__all__ = [
    "SentMessage",
    "count_notifications",
    "erase_notifications",
    "next_to_erase",
    "sent_about_case",
]


@dataclass(frozen=True)
class SentMessage:
    """A message written to an applicant, as it was sent. `subject` and `body` are "" once
    erased under the service's retention (`erased_at` says when)."""

    kind: str  # "email" or "sms"
    at: datetime  # when it was sent (or written, while it is still being sent)
    language: str
    subject: str
    body: str
    erased_at: datetime | None


def sent_about_case(case_id: int) -> list[SentMessage]:
    """The messages written to the applicant about a case, oldest first: its confirmation, a
    request for more information, a decision, a caseworker's message. Those that could not
    be sent at all (a permanent or technical failure) never reached them and are left out.
    One query; each message is decrypted."""
    rows = (
        Notification.objects.filter(case_id=case_id)
        .exclude(status__in=FAILED)
        .order_by("created_at", "pk")
    )
    messages = []
    for row in rows:
        sent = content.read(row)
        messages.append(
            SentMessage(
                kind=row.kind,
                at=row.sent_at or row.created_at,
                language=row.language,
                subject=sent["subject"] if sent else "",
                body=sent["body"] if sent else "",
                erased_at=row.erased_at,
            )
        )
    return messages
