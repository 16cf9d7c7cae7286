"""Recording events without slowing a citizen's request.

Most events (pages viewed, answered, errors) are appended to an in-process buffer, and
written together with one INSERT run over the whole batch (`executemany`: pipelined on
PostgreSQL, a loop in C on SQLite) by one writer thread per process, with its own database
connection kept open: when the buffer holds PORTH_ANALYTICS_BATCH events, when its oldest is
PORTH_ANALYTICS_FLUSH_SECONDS old (so a quiet site's events are not left waiting), and when
the process exits. A request pays for building one tuple and appending it under a lock, and
never waits for a batch to be written; no model instance is made for a buffered event, as
building one and compiling its INSERT through the ORM cost ten times as much
(bench/analytics.py).

Events that go with a write that matters (a submission, a case decision) are written in that
write's own transaction instead (`now=True`), so they are counted exactly when it commits and
never when it rolls back. A process killed outright loses at most its unwritten buffer: a
second or so of page views, never a submission.

With PORTH_ANALYTICS_FLUSH_SECONDS = 0 (the test settings) every event is written at once.
"""

import atexit
import functools
import hashlib
import logging
import os
import threading
import time
from datetime import datetime

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from porth.fastpath import sql
from porth.utils.crypto import keyed_hash

from .models import Event

log = logging.getLogger(__name__)

# An event's columns, in the order of a buffered row (see `_insert`).
COLUMNS = (
    "at",
    "service",
    "kind",
    "journey",
    "page",
    "field",
    "detail",
    "channel",
    "device",
    "variant",
    "value",
)
Row = tuple[datetime, str, str, int | None, str, str, str, str, str, str, int | None]

# How long `flush` waits for the writer's batch (a database that hangs must not hang exit).
WAIT_FOR_WRITER = 30.0
# Batches that may wait unwritten (the database down or slow) before new events are dropped.
MAX_WAITING = 20

_lock = threading.Lock()
_wake = threading.Condition(_lock)  # the writer waits on it for events, and for a full batch
_buffer: list[Row] = []
_writer: threading.Thread | None = None
_writing = False  # the writer has taken a batch and is writing it


@functools.lru_cache(maxsize=4096)
def journey_key(journey_id: str) -> int:
    """The journey's name in performance data: a keyed hash of its id, as a signed 64-bit
    integer (an index-friendly column). The key is the index key, so it cannot be reversed
    or recomputed without it, and the hash says nothing once the journey is erased."""
    digest = keyed_hash(journey_id, purpose="analytics journey")
    return int.from_bytes(hashlib.sha256(digest.encode()).digest()[:8], "big", signed=True)


def record(
    kind: str,
    service: str,
    *,
    journey_id: str | None = None,
    page: str = "",
    field: str = "",
    detail: str = "",
    channel: str = "",
    device: str = "",
    variant: str = "",
    value: int | None = None,
    at: datetime | None = None,
    now: bool = False,
) -> None:
    """Record that `kind` happened in `service`. `now`: write it in the current transaction
    (for events that go with a write that matters), rather than with the next batch."""
    row: Row = (
        at or timezone.now(),
        service,
        kind,
        journey_key(journey_id) if journey_id else None,
        page,
        field,
        detail[:200],
        channel,
        device,
        variant,
        value,
    )
    if now or settings.PORTH_ANALYTICS_FLUSH_SECONDS <= 0:
        sql.insert(Event(**dict(zip(COLUMNS, row, strict=True))))
        return
    with _lock:
        if len(_buffer) >= MAX_WAITING * settings.PORTH_ANALYTICS_BATCH:
            return  # the database has not taken a batch for a while: keep memory bounded
        _buffer.append(row)
        if _writer is None:
            _start_writer()
        # The writer waits for the first event (to time its batch from it) and for the
        # batch to fill: only then is it woken.
        if len(_buffer) == 1 or len(_buffer) >= settings.PORTH_ANALYTICS_BATCH:
            _wake.notify()


def flush() -> int:
    """Write the buffered events now, from this thread, and wait for a batch the writer is
    writing (at exit, and for tests and benchmarks): every event recorded before the call is
    written, or dropped as `_write` says, when it returns. How many this call wrote."""
    with _lock:
        events = _buffer[:]
        _buffer.clear()
    written = _write(events)
    with _wake:
        _wake.wait_for(lambda: not _writing, timeout=WAIT_FOR_WRITER)
    return written


def _write(events: list[Row]) -> int:
    """Never raises: performance data must not break anything, so a batch that cannot be
    written is logged and dropped, after three tries (a connection the server closed, a
    table locked a moment by another writer)."""
    if not events:
        return 0
    for attempt in range(3):
        try:
            with transaction.atomic():
                _insert(events)
            return len(events)
        except Exception:
            # A fresh connection for the next try, and for the next batch.
            connections["default"].close()
            if attempt == 2:
                log.exception("could not write %d analytics events", len(events))
            else:
                time.sleep(0.05 * (attempt + 1))
    return 0


@functools.cache
def _statement(vendor: str) -> str:
    names = ", ".join(sql.quote(column) for column in COLUMNS)
    marks = ", ".join(["%s"] * len(COLUMNS))
    return f"INSERT INTO {sql.table(Event)} ({names}) VALUES ({marks})"


def _insert(rows: list[Row]) -> None:
    """The rows written, their times as the ORM would store them (porth.fastpath.sql)."""
    connection = connections["default"]
    statement = _statement(connection.vendor)
    size = settings.PORTH_ANALYTICS_BATCH
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            cursor.executemany(statement, [(sql.adapt_datetime(r[0]), *r[1:]) for r in batch])


def pending() -> int:
    """How many events wait in this process's buffer."""
    with _lock:
        return len(_buffer)


def _start_writer() -> None:
    """Start this process's writer thread (called with the lock held)."""
    global _writer
    _writer = threading.Thread(target=_write_batches, name="porth-analytics", daemon=True)
    _writer.start()


def _write_batches() -> None:
    """The writer thread: wait for an event, then until the batch is full or its first
    event has waited PORTH_ANALYTICS_FLUSH_SECONDS, then write the batch; for ever. Its
    connection stays open while batches keep coming, and is closed when none is waiting
    (a quiet site, or a test database about to be dropped, holds no idle connection)."""
    global _writing
    while True:
        with _wake:
            while not _buffer:
                _wake.wait()
            deadline = time.monotonic() + settings.PORTH_ANALYTICS_FLUSH_SECONDS
            # (An empty buffer here was written by `flush`: wait afresh for the next event.)
            while _buffer and len(_buffer) < settings.PORTH_ANALYTICS_BATCH:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                _wake.wait(left)
            events = _buffer[:]
            _buffer.clear()
            _writing = True
        try:
            _write(events)
        finally:
            with _wake:
                _writing = False
                idle = not _buffer
                _wake.notify_all()  # a `flush` waiting for this batch
        if idle:
            connections["default"].close()


def _after_fork() -> None:
    """In a child process (a server's worker forked from its master): the parent's buffer is
    the parent's to write, and the parent's writer thread did not come across."""
    global _lock, _wake, _writer, _writing
    _lock = threading.Lock()
    _wake = threading.Condition(_lock)
    _buffer.clear()
    _writer = None
    _writing = False


os.register_at_fork(after_in_child=_after_fork)
atexit.register(flush)
