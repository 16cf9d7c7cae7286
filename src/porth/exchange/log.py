"""The message log: each organisation's calls, time-stamped and hash-chained, as X-Road keeps
them.

Like the audit log (porth.audit), each entry holds the previous entry's hash and its own
hash covers its content and that link, so changing, removing or reordering an entry breaks
the chain from there on, and a head row (hash and count) shows entries cut from the end.
Unlike the audit log the hash is plain SHA-256, not keyed: a third party given an export
(`porth exchange export`) recomputes every hash itself, and the export ends with the head
signed by the organisation's exchange key, checkable against its published JWKS.
"""

import base64
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from porth.accounts.models import Organisation

from . import keys
from .models import LogHead, MessageLog

GENESIS = "0" * 64
# The fields an entry's hash covers (with `organisation`, by slug, and `previous_hash`).
HASHED = (
    "at",
    "message_id",
    "direction",
    "caller",
    "provider",
    "service",
    "purpose",
    "reference",
    "request_digest",
    "response_digest",
    "request_signature",
    "response_signature",
    "status",
    "outcome",
    "reason",
)


def canonical(entry: dict[str, Any]) -> bytes:
    body = {name: entry[name] for name in (*HASHED, "organisation", "previous_hash")}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def as_dict(entry: MessageLog, organisation: str) -> dict[str, Any]:
    """An entry as it is hashed and exported (times in ISO 8601, UTC)."""
    found = {name: getattr(entry, name) for name in HASHED}
    found["at"] = entry.at.astimezone(UTC).isoformat()
    found.update(organisation=organisation, previous_hash=entry.previous_hash, hash=entry.hash)
    return found


def append(organisation: Organisation, **fields: Any) -> MessageLog:
    """Chain a new entry onto the organisation's log (inside a transaction: the head row is
    locked until it commits). `fields` are the model's; `at` defaults to now."""
    fields.setdefault("at", timezone.now())
    with transaction.atomic():
        head, _ = LogHead.objects.select_for_update().get_or_create(
            organisation=organisation, defaults={"hash": GENESIS}
        )
        entry = MessageLog(organisation=organisation, previous_hash=head.hash, **fields)
        entry.hash = entry_hash(as_dict(entry, organisation.slug) | {"hash": ""})
        entry.save(force_insert=True)
        LogHead.objects.filter(pk=head.pk).update(hash=entry.hash, count=head.count + 1)
    return entry


@dataclass(frozen=True)
class Broken:
    number: int  # the entry's place in the chain, from 1
    message_id: str
    problem: str

    def __str__(self) -> str:
        return f"entry number {self.number} (message {self.message_id or '?'}): {self.problem}"


def check_chain(entries: Iterable[dict[str, Any]]) -> tuple[int, str, Broken | None]:
    """Walk exported-form entries in order: how many were intact, the last hash, and the
    first one that is not (altered, or after a gap or a swap)."""
    previous = GENESIS
    count = 0
    for number, entry in enumerate(entries, start=1):
        message_id = str(entry.get("message_id", ""))
        if entry.get("previous_hash") != previous:
            problem = "does not follow the entry before it (one is missing, added or moved)"
            return count, previous, Broken(number, message_id, problem)
        if entry_hash(entry) != entry.get("hash"):
            return count, previous, Broken(number, message_id, "its content was changed")
        previous = str(entry["hash"])
        count = number
    return count, previous, None


def entries(organisation: Organisation) -> Iterator[dict[str, Any]]:
    rows = MessageLog.objects.filter(organisation=organisation).order_by("id")
    for entry in rows.iterator(chunk_size=2000):
        yield as_dict(entry, organisation.slug)


def verify(organisation: Organisation) -> tuple[int, Broken | None]:
    """Check the organisation's log in the database, and that its head matches the end."""
    count, last, broken = check_chain(entries(organisation))
    if broken is not None:
        return count, broken
    head = LogHead.objects.filter(organisation=organisation).first()
    expected = (head.count, head.hash) if head else (0, GENESIS)
    if expected != (count, last):
        problem = f"the log ends after {count} entries but the head says {expected[0]}"
        return count, Broken(count + 1, "", problem + " (entries were removed from the end)")
    return count, None


def _head_text(organisation: str, count: int, head: str) -> bytes:
    return f"porth exchange log head\n{organisation}\n{count}\n{head}".encode()


def export(organisation: Organisation, out: IO[str]) -> int:
    """Write the log as JSON lines, then a line with the head signed by the organisation's
    newest exchange key; how many entries."""
    count, last = 0, GENESIS
    for entry in entries(organisation):
        out.write(json.dumps(entry, ensure_ascii=False) + "\n")
        count, last = count + 1, entry["hash"]
    kid, key = keys.signing_key(organisation)
    signature = key.sign(_head_text(organisation.slug, count, last))
    head = {
        "head": last,
        "count": count,
        "organisation": organisation.slug,
        "exported_at": timezone.now().isoformat(),
        "kid": kid,
        "signature": base64.b64encode(signature).decode(),
    }
    out.write(json.dumps(head) + "\n")
    return count


def verify_export(
    lines: Iterable[str], jwks: dict[str, Any] | None
) -> tuple[int, Broken | None, str]:
    """Check an export: the chain, its head line, and (with the organisation's JWK Set) the
    head's signature. The third value says what was checked of the signature."""
    parsed = [json.loads(line) for line in lines if line.strip()]
    if not parsed or "head" not in parsed[-1]:
        return 0, Broken(len(parsed) + 1, "", "the export has no signed head line"), ""
    head, body = parsed[-1], parsed[:-1]
    count, last, broken = check_chain(body)
    if broken is not None:
        return count, broken, ""
    if (head["count"], head["head"]) != (count, last):
        problem = f"the head says {head['count']} entries, the export holds {count}"
        return count, Broken(count + 1, "", problem + " (entries were removed)"), ""
    if jwks is None:
        return count, None, "head signature not checked (give the organisation's JWKS)"
    found = [jwk for jwk in jwks.get("keys", []) if jwk.get("kid") == head["kid"]]
    try:
        public = keys.from_jwk(found[0]) if found else None
        if public is None:
            raise keys.KeyProblem(f"key {head['kid']!r} is not in the JWKS")
        public.verify(
            base64.b64decode(head["signature"]), _head_text(head["organisation"], count, last)
        )
    except Exception as error:
        problem = f"the head's signature does not verify ({error or 'wrong signature'})"
        return count, Broken(count + 1, "", problem), ""
    return count, None, f"head signed by {head['kid']}"
