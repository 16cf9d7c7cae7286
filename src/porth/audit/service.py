"""The audit app's public API: `record` an entry, inside the caller's transaction.

Other apps import this module (and `porth.audit.models`, for relations), nothing else of
audit. A `protected` import-linter contract (pyproject.toml) checks it.
"""

import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import cache
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from porth import fastpath
from porth.fastpath import sql
from porth.utils.crypto import audit_keys
from porth.utils.proxies import client_address

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
    "key_id",
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
    key_id: str,
) -> bytes:
    """`canonical` from the column values, for `verify` (which reads rows, not models).

    A keyed entry's bytes name its key; an entry made before keying keeps the form it was
    hashed in."""
    body: dict[str, Any] = {
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
    if key_id:
        body["key"] = key_id
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def canonical(event: AuditEvent) -> bytes:
    """The bytes an entry's hash covers (with the previous entry's hash)."""
    return canonical_row(*(getattr(event, name) for name in HASHED))


def entry_hash(canonical_bytes: bytes, key: bytes | None) -> str:
    """HMAC-SHA256 under an audit key; plain SHA-256 (`key` None) for entries made before
    the chain was keyed."""
    if key is None:
        return hashlib.sha256(canonical_bytes).hexdigest()
    mac = _keyed(key).copy()
    mac.update(canonical_bytes)
    return mac.hexdigest()


@cache
def _keyed(key: bytes) -> hmac.HMAC:
    """An HMAC with the key already taken in: copying it costs less than keying a new one,
    on every entry written or verified."""
    return hmac.new(key, digestmod=hashlib.sha256)


def reference_of(data: Any) -> str:
    """The reference an entry is found by: `data["reference"]`, when it is a short string."""
    reference = data.get("reference") if isinstance(data, dict) else None
    return reference if isinstance(reference, str) and len(reference) <= 20 else ""


def client_ip(request: HttpRequest | None) -> str | None:
    """The citizen's address (the peer's, or behind PORTH_TRUSTED_PROXIES the one they saw),
    in its canonical text form, as the database gives it back (so the hash of a stored entry
    can be recomputed on PostgreSQL, whose inet type normalises addresses)."""
    return None if request is None else client_address(request)


def record(
    action: str,
    *,
    actor: Any = None,
    request: HttpRequest | None = None,
    organisation: Any = None,
    obj: Any = None,
    data: dict[str, Any] | None = None,
    unsigned_label: str = "citizen",
) -> AuditEvent:
    """Append an entry. Call it inside the transaction of the action it records, so that the
    action and its entry are committed together or not at all.

    Put a case or submission reference in `data["reference"]`: auditors search by it.
    `unsigned_label` names who acted when no one signed in did: a citizen, or Porth itself
    ("system") for scheduled work.
    Inside `batch()`, the entry is written (and gets its hash and pk) when the batch ends.
    """
    event = AuditEvent(
        at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=str(actor) if actor is not None and actor.is_authenticated else unsigned_label,
        action=action,
        organisation=organisation,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        ip=client_ip(request),
        data=data or {},
        reference=reference_of(data),
    )
    pending = _batch.get()
    if pending is not None:
        pending.append(event)
    else:
        _append([event])
    return event


_batch: ContextVar[list[AuditEvent] | None] = ContextVar("porth_audit_batch", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Write the entries recorded inside the block together, as it ends: one read (and
    lock) of the head and one update of it, however many entries (a submission that opens
    a case writes two, and saves two round trips).

    Use it inside the action's transaction. Nested batches join the outer one. If the block
    raises, its entries are dropped, as the transaction they belong to is rolled back."""
    if _batch.get() is not None:
        yield
        return
    pending: list[AuditEvent] = []
    token = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(token)
    if pending:
        _append(pending)


def _append(events: list[AuditEvent]) -> None:
    """Chain the events onto the head, in order, and move the head past them."""
    # No savepoint: if the entries cannot be written, the action they record must fail too.
    composed = fastpath.on("sql")
    read, move = _head_sql() if composed else ("", "")
    with transaction.atomic(savepoint=False):
        if composed:
            found = sql.one(read)
        else:
            found = (
                AuditHead.objects.select_for_update()
                .filter(pk=1)
                .values_list("hash", "count")
                .first()
            )
        if found is None:  # the first entry ever
            created, _ = AuditHead.objects.select_for_update().get_or_create(
                pk=1, defaults={"hash": GENESIS}
            )
            found = (created.hash, created.count)
        previous, count = found
        key_id, keys = audit_keys()
        key = keys[key_id]
        for event in events:
            event.previous_hash = previous
            event.key_id = key_id
            event.hash = previous = entry_hash(canonical(event), key)
        for event in events:
            sql.insert(event)
        if composed:
            sql.run(move, [previous, count + len(events)])
        else:
            AuditHead.objects.filter(pk=1).update(hash=previous, count=count + len(events))


@cache
def _head_sql() -> tuple[str, str]:
    """Read the head, locking it (PostgreSQL; SQLite locks the database for the write), and
    move it on, written once (porth.fastpath.sql)."""
    quote = sql.quote
    table = sql.table(AuditHead)
    lock = sql.for_update()
    return (
        f"SELECT {quote('hash')}, {quote('count')} FROM {table} WHERE {quote('id')} = 1{lock}",
        f"UPDATE {table} SET {quote('hash')} = %s, {quote('count')} = %s WHERE {quote('id')} = 1",
    )
