"""Checkpoints: the head of the audit log (entry count, newest hash, time), signed with the
audit key and appended as a JSON line to a file the database cannot rewrite
(PORTH_AUDIT_CHECKPOINTS).

Whoever can write to the database could delete the newest entries with the head, or, holding
the audit key, rewrite the chain; the checkpoints taken before say what was there. Take one
on a schedule (`porth audit checkpoint`, from cron or a systemd timer); `porth audit verify`
checks the log against every one.
"""

import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from porth.utils.crypto import audit_keys

from .models import AuditHead

GENESIS = "0" * 64
# Keeps a checkpoint's signature apart from any entry's hash under the same key.
LABEL = b"porth audit checkpoint v1\n"


class CheckpointError(ValueError):
    """A checkpoint line that cannot be trusted: unreadable, or not signed by an audit key."""


@dataclass(frozen=True)
class Checkpoint:
    count: int  # entries in the log
    hash: str  # the newest entry's hash (GENESIS when there were none)
    at: datetime
    key_id: str
    line: int = 0  # in the file, from 1; 0 until written

    def __str__(self) -> str:
        return f"the checkpoint of {self.at:%Y-%m-%d %H:%M:%S %Z} (line {self.line})"

    def body(self) -> bytes:
        fields = {"count": self.count, "hash": self.hash, "at": self.at.isoformat()}
        return LABEL + json.dumps({**fields, "key": self.key_id}, sort_keys=True).encode()

    def signature(self, key: bytes) -> str:
        return hmac.digest(key, self.body(), "sha256").hex()


def take(*, using: str = "default") -> Checkpoint:
    """The head as it is now, committed."""
    with transaction.atomic(using=using):
        head = AuditHead.objects.using(using).filter(pk=1).values_list("hash", "count").first()
    found_hash, count = head or (GENESIS, 0)
    return Checkpoint(count, found_hash, timezone.now(), audit_keys()[0])


def append(path: Path, checkpoint: Checkpoint) -> Checkpoint:
    """Sign and add `checkpoint` at the end of the file, made if need be; it is on disk when
    this returns. Earlier lines are never read back or rewritten."""
    key = audit_keys()[1][checkpoint.key_id]
    line = json.dumps(
        {
            "count": checkpoint.count,
            "hash": checkpoint.hash,
            "at": checkpoint.at.isoformat(),
            "key": checkpoint.key_id,
            "signature": checkpoint.signature(key),
        },
        sort_keys=True,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        file.write(line + "\n")
        file.flush()
        os.fsync(file.fileno())
    with path.open(encoding="utf-8") as file:
        number = sum(1 for _ in file)
    return Checkpoint(checkpoint.count, checkpoint.hash, checkpoint.at, checkpoint.key_id, number)


def read(path: Path) -> list[Checkpoint]:
    """Every checkpoint in the file, each checked against its signature."""
    _, keys = audit_keys()
    found = []
    with path.open(encoding="utf-8") as file:
        for number, text in enumerate(file, start=1):
            if text.strip():
                found.append(_parse(text, number, keys))
    return found


def _parse(text: str, number: int, keys: dict[str, bytes]) -> Checkpoint:
    where = f"checkpoint line {number}"
    try:
        item = json.loads(text)
        checkpoint = Checkpoint(
            count=int(item["count"]),
            hash=str(item["hash"]),
            at=datetime.fromisoformat(item["at"]),
            key_id=str(item["key"]),
            line=number,
        )
        signature = str(item["signature"])
    except (ValueError, TypeError, KeyError) as error:
        raise CheckpointError(f"{where} cannot be read: {error}") from None
    key = keys.get(checkpoint.key_id)
    if key is None:
        raise CheckpointError(
            f"{where} is signed with audit key {checkpoint.key_id!r}, which PORTH_AUDIT_KEY "
            "does not list"
        )
    if not hmac.compare_digest(checkpoint.signature(key), signature):
        raise CheckpointError(f"{where} was changed: its signature does not match")
    return checkpoint
