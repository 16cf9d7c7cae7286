"""Notifications for tests, with their text encrypted as the receivers write it."""

from typing import Any

from porth.casework.models import Case
from porth.notifications.content import Content, seal
from porth.notifications.models import Notification, Status, new_reference


def make_notification(
    case: Case | None = None,
    *,
    kind: str = "email",
    to: str = "jo.bloggs@example.com",
    subject: str = "We have your application",
    body: str = "Thank you for applying.\n\nYour reference is TS-0001-AAAA.",
    status: str = Status.CREATED,
    event: str = "submitted",
    service: str = "test-service",
    language: str = "en",
    **fields: Any,
) -> Notification:
    reference = fields.pop("reference", None) or new_reference()
    blob, key_id = seal(reference, Content(to=to, subject=subject, body=body))
    return Notification.objects.create(
        reference=reference,
        kind=kind,
        channel=fields.pop("channel", "notify"),
        event=event,
        service=case.service if case else service,
        language=language,
        case=case,
        content=blob,
        key_id=key_id,
        status=status,
        **fields,
    )
