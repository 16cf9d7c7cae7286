"""The audit app's public API: `record` an entry, inside the caller's transaction."""

import hashlib
import json
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import AuditEvent, AuditHead

GENESIS = "0" * 64


def canonical(event: AuditEvent) -> bytes:
    """The bytes an entry's hash covers (with the previous entry's hash)."""
    body = {
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "organisation": event.organisation_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "ip": event.ip,
        "data": event.data,
        "previous_hash": event.previous_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    actor: Any = None,
    request: HttpRequest | None = None,
    organisation: Any = None,
    obj: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an entry. Call it inside the transaction of the action it records, so that the
    action and its entry are committed together or not at all."""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"hash": GENESIS}
        )
        event = AuditEvent(
            at=timezone.now(),
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_label=str(actor) if actor is not None and actor.is_authenticated else "citizen",
            action=action,
            organisation=organisation,
            object_type=obj._meta.model_name if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            ip=client_ip(request),
            data=data or {},
            previous_hash=head.hash,
        )
        event.hash = hashlib.sha256(canonical(event)).hexdigest()
        event.save(force_insert=True)
        head.hash, head.count = event.hash, head.count + 1
        head.save(update_fields=["hash", "count"])
    return event
