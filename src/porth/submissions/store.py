"""The queries every journey makes, written out once instead of built per request, and the
journeys this worker read or wrote lately.

Building a query through the ORM costs more than running it on SQLite (~0.15 ms against
~0.03 ms, measured); a citizen's page makes one or two of these, so the SQL is composed once
from the models' own metadata and reused. Everything else goes through the ORM as usual.

Every answer is a POST that saves the journey and a GET of the next page that reads it back,
usually in the same worker (the browser keeps its connection). So a worker keeps the rows it
read or wrote lately (encrypted, as stored) by id and revision, and a cookie names the
revision the browser was last sent (views._revision): a page reads its journey from the
database only when this worker has not got that revision. Saves are checked against the
revision they were made from, so a journey changed meanwhile (another tab, another worker)
is never overwritten: `Stale` is raised and the view reads it afresh. The journeys a worker
sent are remembered too (their reference), for the confirmation page that follows.
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import signals
from django.db.models.base import ModelState
from django.utils import timezone

from porth.utils import sql

from .models import Journey, Submission


@dataclass(frozen=True)
class _Sql:
    select: str  # an open (unsent) journey by id
    select_locked: str  # the same, locked until the transaction ends
    lock: str  # a journey by id, sent or not, locked until the transaction ends
    update: str  # a journey's state
    sent: str  # the journey's submission
    finish: str  # mark a journey sent, its state wiped
    attnames: list[str]


@cache
def _sql() -> _Sql:
    quote = connection.ops.quote_name
    meta = Journey._meta
    columns = [str(field.column) for field in meta.concrete_fields]
    table = quote(meta.db_table)
    select_all = f"SELECT {', '.join(map(quote, columns))} FROM {table} WHERE {quote('id')} = %s"
    # SQLite has no row locks: the submit transaction (BEGIN IMMEDIATE) locks the database.
    for_update = " FOR UPDATE" if connection.features.has_select_for_update else ""
    submissions = quote(Submission._meta.db_table)
    return _Sql(
        select=f"{select_all} AND {quote('submitted_at')} IS NULL",
        select_locked=f"{select_all} AND {quote('submitted_at')} IS NULL{for_update}",
        lock=select_all + for_update,
        update=(
            f"UPDATE {table} SET {quote('state')} = %s, {quote('key_id')} = %s, "
            f"{quote('version')} = %s, {quote('updated_at')} = %s, {quote('revision')} = %s "
            f"WHERE {quote('id')} = %s AND {quote('revision')} = %s"
        ),
        sent=(
            f"SELECT {quote('reference')}, {quote('channel')} FROM {submissions} "
            f"WHERE {quote('journey_id')} = %s"
        ),
        finish=(
            f"UPDATE {table} SET {quote('state')} = %s, {quote('key_id')} = '', "
            f"{quote('submitted_at')} = %s, {quote('updated_at')} = %s, "
            f"{quote('revision')} = %s WHERE {quote('id')} = %s"
        ),
        attnames=[field.attname for field in meta.concrete_fields],
    )


def _when(moment: datetime) -> Any:
    """A time as the ORM would store it (SQLite keeps naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(moment)


class Stale(Exception):
    """The journey changed (or went) since it was read: read it again before saving."""


RECENT_SIZE = 2000  # journeys; a few MB at most
RECENT_SECONDS = 300.0  # bounds how long a journey deleted elsewhere could still be shown
type _Memory = OrderedDict[str, tuple[Any, float]]  # journey id -> (what, when kept)
_recent: _Memory = OrderedDict()  # the journeys: (revision, row as stored)
_sent: _Memory = OrderedDict()  # the journeys this worker sent: their Sent
_memory_lock = threading.Lock()  # for both memories


def _put(memory: _Memory, journey_id: str, what: Any) -> None:
    now = time.monotonic()
    with _memory_lock:
        memory[journey_id] = (what, now)
        memory.move_to_end(journey_id)
        while memory and (
            len(memory) > RECENT_SIZE or now - next(iter(memory.values()))[1] >= RECENT_SECONDS
        ):
            memory.popitem(last=False)


def _get(memory: _Memory, journey_id: str) -> Any:
    with _memory_lock:
        found = memory.get(journey_id)
    if found is None or time.monotonic() - found[1] >= RECENT_SECONDS:
        return None
    return found[0]


def _keep(journey: Journey) -> None:
    _put(
        _recent,
        journey.pk,
        (journey.revision, tuple(getattr(journey, name) for name in _sql().attnames)),
    )


def _recall(journey_id: str, revision: int) -> Journey | None:
    found = _get(_recent, journey_id)
    if found is None or found[0] != revision:
        return None
    return _rebuild(found[1])


def _rebuild(values: tuple[Any, ...]) -> Journey:
    """The Journey `Journey.from_db` makes of a stored row, without `Model.__init__`: its
    loop over the fields and two signals took 35,000 instructions of the 1.3 million of a
    question page (`python -m bench.instructions`), to set a dozen plain attributes. The same
    instance dict and state result (a test compares them); when anyone listens to
    `pre_init` or `post_init`, it is made by `from_db`, so that they hear of it."""
    attnames = _sql().attnames
    if signals.pre_init.receivers or signals.post_init.receivers:
        return Journey.from_db(DEFAULT_DB_ALIAS, attnames, values)
    journey = Journey.__new__(Journey)
    state = ModelState()
    state.adding, state.db = False, DEFAULT_DB_ALIAS
    journey.__dict__.update(zip(attnames, values, strict=True), _state=state)
    return journey


def forget(journey_id: str) -> None:
    """Drop what this worker remembers of a journey (it was deleted or sent)."""
    with _memory_lock:
        _recent.pop(journey_id, None)
        _sent.pop(journey_id, None)


def open_journey(
    journey_id: str, revision: int | None = None, *, lock: bool = False
) -> Journey | None:
    """The journey with this id, if it has not been submitted.

    With the revision the browser was last sent, a journey this worker saved or read at that
    revision is taken from memory; otherwise, and without a revision, from the database.
    `lock`: read from the database and locked for the rest of the transaction, so that no
    other save can come between this read and a save (SQLite: the transaction locks).
    """
    if revision is not None and not lock:
        recalled = _recall(journey_id, revision)
        if recalled is not None:
            return recalled
    journey = _one(_sql().select_locked if lock else _sql().select, journey_id)
    if journey is not None:
        _keep(journey)
    return journey


def lock_journey(journey_id: str) -> Journey | None:
    """The journey with this id, sent or not, locked for the rest of the transaction."""
    return _one(_sql().lock, journey_id)


def _one(statement: str, journey_id: str) -> Journey | None:
    row = sql.one(statement, [journey_id])
    return _rebuild(row) if row else None


def save(journey: Journey) -> None:
    """Insert a new journey, or update the state of one already stored, at the next revision.

    Raises Stale if the stored journey is no longer at the revision `journey` was read at.
    The saved row is remembered at once: a caller whose transaction then rolls back must
    `forget` it (the journey pages' second try does).
    """
    if journey._state.adding:
        sql.insert(journey)  # once per journey; through save() it cost 0.2 ms (py-spy)
        _keep(journey)
        return
    updated_at = timezone.now()
    changed = sql.run(
        _sql().update,
        [
            bytes(journey.state),
            journey.key_id,
            journey.version,
            _when(updated_at),
            journey.revision + 1,
            journey.pk,
            journey.revision,
        ],
    )
    if changed != 1:
        forget(journey.pk)
        raise Stale(journey.pk)
    journey.updated_at, journey.revision = updated_at, journey.revision + 1
    _keep(journey)


def finish(journey: Journey) -> None:
    """Mark the (locked) journey sent, at its next revision. The answers now live in the
    submission: it keeps no copy."""
    journey.state, journey.key_id = b"", ""
    journey.submitted_at = journey.updated_at = timezone.now()
    journey.revision += 1
    sql.run(
        _sql().finish,
        [
            b"",
            _when(journey.submitted_at),
            _when(journey.updated_at),
            journey.revision,
            journey.pk,
        ],
    )
    forget(journey.pk)


@dataclass(frozen=True)
class Sent:
    reference: str
    channel: str


def sent(journey_id: str) -> Sent | None:
    """What the journey's submission is known by, if it has been sent."""
    remembered: Sent | None = _get(_sent, journey_id)
    if remembered is not None:
        return remembered
    row = sql.one(_sql().sent, [journey_id])
    return Sent(*row) if row else None


def remember_sent(journey_id: str, reference: str, channel: str) -> None:
    """The confirmation page that follows a submission needs no query in the worker that
    made it. Call it once the submission is committed (a rolled-back one was never sent)."""
    _put(_sent, journey_id, Sent(reference, channel))
