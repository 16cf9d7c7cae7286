"""Recording events without slowing a citizen's request.

Most events (pages viewed, answered, errors) are appended to an in-process buffer, and
written together with one INSERT run over the whole batch (`executemany`: pipelined on
PostgreSQL, a loop in C on SQLite): when the buffer holds PORTH_ANALYTICS_BATCH events, when
its oldest is PORTH_ANALYTICS_FLUSH_SECONDS old (a timer thread, so a quiet site's events
are not left waiting for the next request), and when the process exits. A request pays for
building one tuple and appending it under a lock; no model instance is made for a buffered
event, as building one and compiling its INSERT through the ORM cost ten times as much
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
import threading
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

_lock = threading.Lock()
_buffer: list[Row] = []
_timer: threading.Timer | None = None


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
    global _timer
    with _lock:
        _buffer.append(row)
        full = len(_buffer) >= settings.PORTH_ANALYTICS_BATCH
        if not full and _timer is None:
            _timer = threading.Timer(settings.PORTH_ANALYTICS_FLUSH_SECONDS, _flush_in_thread)
            _timer.daemon = True
            _timer.start()
    if full:
        if connections["default"].in_atomic_block:
            # Not inside someone's transaction: the buffer holds other requests' events too,
            # which must not be rolled back with it.
            transaction.on_commit(flush)
        else:
            flush()


def flush() -> int:
    """Write the buffered events (an INSERT over PORTH_ANALYTICS_BATCH at a time); how many.
    Never raises: performance data must not break a citizen's page, so a failed write is
    logged and its events dropped."""
    global _timer
    with _lock:
        events = _buffer[:]
        _buffer.clear()
        if _timer is not None:
            _timer.cancel()
            _timer = None
    if not events:
        return 0
    try:
        with transaction.atomic():
            _insert(events)
    except Exception:
        log.exception("could not write %d analytics events", len(events))
        return 0
    return len(events)


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


def _flush_in_thread() -> None:
    global _timer
    with _lock:
        _timer = None
    try:
        flush()
    finally:
        # The timer's thread opened its own connection: close it, or each flush leaks one.
        connections.close_all()


atexit.register(flush)
