"""The audit app's public API: `record` an entry, inside the caller's transaction."""

import hashlib
import ipaddress
import json
from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import AuditEvent, AuditHead

GENESIS = "0" * 64


# The columns an entry's hash covers, in the order `canonical_row` takes them.
HASHED = (
    "at",
    "actor_id",
    "actor_label",
    "action",
    "organisation_id",
    "object_type",
    "object_id",
    "ip",
    "data",
    "previous_hash",
)


def canonical_row(
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    organisation_id: int | None,
    object_type: str,
    object_id: str,
    ip: str | None,
    data: Any,
    previous_hash: str,
) -> bytes:
    """`canonical` from the column values, for `verify` (which reads rows, not models)."""
    body = {
        "at": at.isoformat(),
        "actor": actor_id,
        "actor_label": actor_label,
        "action": action,
        "organisation": organisation_id,
        "object_type": object_type,
        "object_id": object_id,
        "ip": ip,
        "data": data,
        "previous_hash": previous_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def canonical(event: AuditEvent) -> bytes:
    """The bytes an entry's hash covers (with the previous entry's hash)."""
    return canonical_row(*(getattr(event, name) for name in HASHED))


def entry_hash(canonical_bytes: bytes) -> str:
    return hashlib.sha256(canonical_bytes).hexdigest()


def reference_of(data: Any) -> str:
    """The reference an entry is found by: `data["reference"]`, when it is a short string."""
    reference = data.get("reference") if isinstance(data, dict) else None
    return reference if isinstance(reference, str) and len(reference) <= 20 else ""


def client_ip(request: HttpRequest | None) -> str | None:
    """The address in its canonical text form, as the database gives it back (so the hash of
    a stored entry can be recomputed on PostgreSQL, whose inet type normalises addresses)."""
    if request is None:
        return None
    try:
        return str(ipaddress.ip_address(request.META.get("REMOTE_ADDR") or ""))
    except ValueError:
        return None


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
    action and its entry are committed together or not at all.

    Put a case or submission reference in `data["reference"]`: auditors search by it.
    """
    # No savepoint: if the entry cannot be written, the action it records must fail too.
    with transaction.atomic(savepoint=False):
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
            reference=reference_of(data),
            previous_hash=head.hash,
        )
        event.hash = entry_hash(canonical(event))
        event.save(force_insert=True)
        head.hash, head.count = event.hash, head.count + 1
        head.save(update_fields=["hash", "count"])
    return event
