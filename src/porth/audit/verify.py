"""Check the whole chain: every hash, every link, the head and the checkpoints
(`porth audit verify`).

Entries are streamed in id order a chunk at a time, as tuples of the hashed columns, so a
log of any length is checked in bounded memory.

Each keyed entry's hash is checked with the PORTH_AUDIT_KEY key it names. Entries made
before the chain was keyed (plain SHA-256) are accepted only before the first keyed one (an
unkeyed entry after it is a hash remade without the key), and only as far as a checkpoint
covers them (else anyone could remake the whole chain without the key). Checkpoints, signed and kept outside
the database (`porth audit checkpoint`), pin the entry count and the newest hash at the time
they were taken, so a log rewritten by someone who could write to the database and compute
the hashes, or cut back with its head, no longer matches them.
"""

import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from porth.utils.crypto import audit_keys

from .checkpoints import Checkpoint
from .models import AuditEvent, AuditHead
from .service import GENESIS, HASHED, canonical_row, entry_hash, reference_of

CHUNK = 5000
# Where the columns are in a row (see `_rows`).
ID, REFERENCE, HASH, AT, ACTION, DATA, PREVIOUS, KEY_ID = 0, 1, 2, 3, 6, 11, 12, 13


@dataclass(frozen=True)
class Broken:
    """The first entry found wrong (or the last one found, when the newest are missing)."""

    id: int | None
    at: datetime | None
    action: str
    problem: str
    number: int | None = None  # its place in the chain, from 1

    def __str__(self) -> str:
        if self.id is None:
            return self.problem
        when = f"{self.at:%Y-%m-%d %H:%M:%S %Z}" if self.at else "?"
        number = f"number {self.number}, " if self.number else ""
        return f"entry {self.id} ({number}{when}, {self.action}): {self.problem}"


@dataclass(frozen=True)
class Result:
    count: int  # entries checked
    seconds: float
    broken: Broken | None = None
    unkeyed: int = 0  # entries made before the chain was keyed
    checkpoints: int = 0  # checkpoints the log was checked against

    @property
    def intact(self) -> bool:
        return self.broken is None

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else float("inf")


def _rows(using: str, chunk_size: int) -> Iterator[tuple[Any, ...]]:
    columns = ("id", "reference", "hash", *HASHED)
    entries = AuditEvent.objects.using(using).order_by("id").values_list(*columns)
    return entries.iterator(chunk_size=chunk_size)


def _head(using: str) -> tuple[str, int]:
    head = AuditHead.objects.using(using).filter(pk=1).first()
    return (head.hash, head.count) if head else (GENESIS, 0)


def verify_chain(
    *, using: str = "default", chunk_size: int = CHUNK, checkpoints: Sequence[Checkpoint] = ()
) -> Result:
    began = time.perf_counter()
    _, keys = audit_keys()
    pending = deque(sorted((c for c in checkpoints if c.count > 0), key=lambda c: c.count))
    # Entries made before the chain was keyed are trusted as far as a checkpoint pins them.
    covered = pending[-1].count if pending else 0
    # The head is read first: entries appended while we read are checked for their links,
    # and against the head read again at the end.
    head_hash, head_count = _head(using)
    previous = GENESIS
    count = unkeyed = 0
    keyed = False
    last: tuple[Any, ...] | None = None

    def fail(row: tuple[Any, ...] | None, problem: str, number: int | None = None) -> Result:
        broken = (
            Broken(row[ID], row[AT], row[ACTION], problem, number)
            if row
            else Broken(None, None, "", problem)
        )
        return Result(count, time.perf_counter() - began, broken, unkeyed, len(checkpoints))

    for row in _rows(using, chunk_size):
        number = count + 1
        stored_hash, fields = row[HASH], row[AT:]
        if row[PREVIOUS] != previous:
            if count == 0:
                problem = "the first entry does not start from GENESIS: older entries are missing"
            else:
                problem = (
                    f"it does not follow entry {last[ID] if last else '?'}: its previous hash "
                    f"is {row[PREVIOUS][:12]}…, the entry before it has {previous[:12]}… "
                    "(an entry between them was deleted, or the order was changed)"
                )
            return fail(row, problem, number)
        key_id = row[KEY_ID]
        key = keys.get(key_id) if key_id else None
        if key_id and key is None:
            return fail(
                row,
                f"it is keyed with audit key {key_id!r}, which PORTH_AUDIT_KEY does not list: "
                "list that key again to check the entries it keyed",
                number,
            )
        if not key_id and keyed:
            return fail(
                row,
                "it is not keyed, though entries before it are: its hash was remade without "
                "the audit key",
                number,
            )
        if not key_id and number > covered:
            return fail(
                row,
                "it is not keyed, and no checkpoint covers it: its hash may have been remade "
                "without the audit key (after upgrading to keyed hashes, take a checkpoint "
                "at once: `porth audit checkpoint`)",
                number,
            )
        keyed = keyed or bool(key_id)
        unkeyed += not key_id
        if entry_hash(canonical_row(*fields), key) != stored_hash:
            return fail(row, "its content was changed: the hash no longer matches", number)
        if row[REFERENCE] != reference_of(row[DATA]):
            return fail(row, f"its reference column was changed to {row[REFERENCE]!r}", number)
        count = number
        while pending and pending[0].count == count:
            checkpoint = pending.popleft()
            if stored_hash != checkpoint.hash:
                return fail(
                    row,
                    f"{checkpoint} recorded entry number {count} with hash "
                    f"{checkpoint.hash[:12]}…, it now has {stored_hash[:12]}…: the log was "
                    "rewritten at or before this entry",
                    number,
                )
        if count == head_count and stored_hash != head_hash:
            return fail(
                row, "it should be the newest entry the head records, but the head differs", number
            )
        previous, last = stored_hash, row

    if pending:
        checkpoint = pending[-1]
        return fail(
            last,
            f"{checkpoint} recorded {checkpoint.count} entries but the log has {count}: "
            f"entries number {count + 1} to {checkpoint.count} are missing",
            count or None,
        )
    if count < head_count:
        problem = (
            f"the head counts {head_count} entries but the log has {count}: "
            "the newest entries are missing"
        )
        return fail(last, problem, count or None)
    head_hash, head_count = _head(using)  # again: entries may have been appended meanwhile
    if count > head_count:
        return fail(None, f"{count - head_count} entries follow the head: not added by record()")
    if count == head_count and previous != head_hash:
        return fail(None, "the newest entry is not the one the head records")
    return Result(count, time.perf_counter() - began, None, unkeyed, len(checkpoints))
