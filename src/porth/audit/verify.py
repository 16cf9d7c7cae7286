"""Check the whole chain: every hash, every link, and the head (`porth audit verify`).

Entries are streamed in id order a chunk at a time, as tuples of the hashed columns, so a
log of any length is checked in bounded memory.
"""

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .models import AuditEvent, AuditHead
from .service import GENESIS, HASHED, canonical_row, entry_hash, reference_of

CHUNK = 5000


@dataclass(frozen=True)
class Broken:
    """The first entry found wrong (or the last one found, when the newest are missing)."""

    id: int | None
    at: datetime | None
    action: str
    problem: str

    def __str__(self) -> str:
        if self.id is None:
            return self.problem
        when = f"{self.at:%Y-%m-%d %H:%M:%S %Z}" if self.at else "?"
        return f"entry {self.id} ({when}, {self.action}): {self.problem}"


@dataclass(frozen=True)
class Result:
    count: int  # entries checked
    seconds: float
    broken: Broken | None = None

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


def verify_chain(*, using: str = "default", chunk_size: int = CHUNK) -> Result:
    began = time.perf_counter()
    # The head is read first: entries appended while we read are checked for their links,
    # and against the head read again at the end.
    head_hash, head_count = _head(using)
    previous = GENESIS
    count = 0
    last: tuple[int, datetime, str] | None = None

    def fail(row: tuple[Any, ...] | None, problem: str) -> Result:
        where = (row[0], row[3], row[6]) if row else (None, None, "")
        return Result(
            count, time.perf_counter() - began, Broken(where[0], where[1], where[2], problem)
        )

    for row in _rows(using, chunk_size):
        stored_hash, fields = row[2], row[3:]
        if fields[-1] != previous:
            if count == 0:
                problem = "the first entry does not start from GENESIS: older entries are missing"
            else:
                problem = (
                    f"it does not follow entry {last[0] if last else '?'}: its previous hash "
                    f"is {fields[-1][:12]}…, the entry before it has {previous[:12]}… "
                    "(an entry between them was deleted, or the order was changed)"
                )
            return fail(row, problem)
        if entry_hash(canonical_row(*fields)) != stored_hash:
            return fail(row, "its content was changed: the hash no longer matches")
        if row[1] != reference_of(fields[8]):
            return fail(row, f"its reference column was changed to {row[1]!r}")
        count += 1
        if count == head_count and stored_hash != head_hash:
            return fail(row, "it should be the newest entry the head records, but the head differs")
        previous, last = stored_hash, (row[0], row[3], row[6])

    if count < head_count:
        problem = (
            f"the head counts {head_count} entries but the log has {count}: "
            "the newest entries are missing"
        )
        if last is None:
            return fail(None, problem)
        return fail((last[0], None, None, last[1], None, None, last[2]), problem)
    head_hash, head_count = _head(using)  # again: entries may have been appended meanwhile
    if count > head_count:
        return fail(None, f"{count - head_count} entries follow the head: not added by record()")
    if count == head_count and previous != head_hash:
        return fail(None, "the newest entry is not the one the head records")
    return Result(count, time.perf_counter() - began)
