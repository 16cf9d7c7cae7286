"""What other apps announce, written to the audit log in the transaction that sends it."""

from typing import Any

from django.dispatch import receiver

from porth.accounts.signals import staff_event

from .service import record


@receiver(staff_event, dispatch_uid="porth.audit.staff_event")
def record_staff_event(
    sender: Any,
    action: str,
    actor: Any = None,
    request: Any = None,
    user: Any = None,
    data: dict[str, Any] | None = None,
    **kwargs: Any,
) -> None:
    record(action, actor=actor, request=request, obj=user, data=data)
