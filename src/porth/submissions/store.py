"""Reading and saving journeys in progress, checked against the revision they were read at.

Saves are checked against the revision they were made from, so a journey changed meanwhile
(another tab, another worker) is never overwritten: `Stale` is raised and the view reads it
afresh.

With the fast path (porth.fastpath), the queries every journey page makes are composed once
and run through porth.fastpath.sql ("sql"; otherwise the ORM makes them), and a worker keeps
the rows it read or wrote lately (encrypted, as stored) by id and revision ("journey_memory"):
a cookie names the revision the browser was last sent (views._revision), and a page reads its
journey from the database only when this worker has not got that revision. The journeys a
worker sent are remembered too (their reference), for the confirmation page that follows.
"""

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import F
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from porth import fastpath
from porth.fastpath import sql
from porth.fastpath.memory import Recent

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
    quote = sql.quote
    meta = Journey._meta
    columns = [str(field.column) for field in meta.concrete_fields]
    table = sql.table(Journey)
    select_all = f"SELECT {', '.join(map(quote, columns))} FROM {table} WHERE {quote('id')} = %s"
    for_update = sql.for_update()
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
            f"SELECT {quote('reference')}, {quote('channel')} FROM {sql.table(Submission)} "
            f"WHERE {quote('journey_id')} = %s"
        ),
        finish=(
            f"UPDATE {table} SET {quote('state')} = %s, {quote('key_id')} = '', "
            f"{quote('submitted_at')} = %s, {quote('updated_at')} = %s, "
            f"{quote('revision')} = %s WHERE {quote('id')} = %s"
        ),
        attnames=[field.attname for field in meta.concrete_fields],
    )


class Stale(Exception):
    """The journey changed (or went) since it was read: read it again before saving."""


RECENT_SIZE = 2000  # journeys; a few MB at most
RECENT_SECONDS = 300.0  # bounds how long a change made elsewhere could go unseen
_recent = Recent(size=RECENT_SIZE, seconds=RECENT_SECONDS)  # id -> (revision, stored row)
_sent = Recent(size=RECENT_SIZE, seconds=RECENT_SECONDS)  # id -> its Sent


def _keep(journey: Journey) -> None:
    if fastpath.on("journey_memory"):
        row = tuple(getattr(journey, name) for name in _sql().attnames)
        _recent.put(journey.pk, (journey.revision, row))


def _recall(journey_id: str, revision: int) -> Journey | None:
    found = _recent.get(journey_id)
    if found is None or found[0] != revision:
        return None
    return _from_row(found[1])


def _from_row(values: tuple[Any, ...]) -> Journey:
    return Journey.from_db(DEFAULT_DB_ALIAS, _sql().attnames, values)


def forget(journey_id: str) -> None:
    """Drop what this worker remembers of a journey (it was deleted or sent)."""
    _recent.forget(journey_id)
    _sent.forget(journey_id)


@receiver(post_delete, sender=Journey)
def _deleted(instance: Journey, **kwargs: Any) -> None:
    forget(instance.pk)


def open_journey(
    journey_id: str, revision: int | None = None, *, lock: bool = False
) -> Journey | None:
    """The journey with this id, if it has not been submitted.

    With the revision the browser was last sent, a journey this worker saved or read at that
    revision is taken from memory (with the fast path); otherwise from the database.
    `lock`: read from the database and locked for the rest of the transaction, so that no
    other save can come between this read and a save (SQLite: the transaction locks).
    """
    if revision is not None and not lock and fastpath.on("journey_memory"):
        recalled = _recall(journey_id, revision)
        if recalled is not None:
            return recalled
    if fastpath.on("sql"):
        journey = _one(_sql().select_locked if lock else _sql().select, journey_id)
    else:
        query = Journey.objects.filter(pk=journey_id, submitted_at__isnull=True)
        journey = (query.select_for_update() if lock else query).first()
    if journey is not None:
        _keep(journey)
    return journey


def lock_journey(journey_id: str) -> Journey | None:
    """The journey with this id, sent or not, locked for the rest of the transaction."""
    if not fastpath.on("sql"):
        return Journey.objects.select_for_update().filter(pk=journey_id).first()
    return _one(_sql().lock, journey_id)


def _one(statement: str, journey_id: str) -> Journey | None:
    row = sql.one(statement, [journey_id])
    return _from_row(row) if row else None


def save(journey: Journey) -> None:
    """Insert a new journey, or update the state of one already stored, at the next revision.

    Raises Stale if the stored journey is no longer at the revision `journey` was read at.
    The saved row is remembered at once: a caller whose transaction then rolls back must
    `forget` it (the journey pages' second try does).
    """
    if journey._state.adding:
        sql.insert(journey)
        _keep(journey)
        return
    updated_at = timezone.now()
    if fastpath.on("sql"):
        changed = sql.run(
            _sql().update,
            [
                bytes(journey.state),
                journey.key_id,
                journey.version,
                sql.adapt_datetime(updated_at),
                journey.revision + 1,
                journey.pk,
                journey.revision,
            ],
        )
    else:
        changed = Journey.objects.filter(pk=journey.pk, revision=journey.revision).update(
            state=journey.state,
            key_id=journey.key_id,
            version=journey.version,
            updated_at=updated_at,
            revision=F("revision") + 1,
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
    if fastpath.on("sql"):
        sql.run(
            _sql().finish,
            [
                b"",
                sql.adapt_datetime(journey.submitted_at),
                sql.adapt_datetime(journey.updated_at),
                journey.revision,
                journey.pk,
            ],
        )
    else:
        Journey.objects.filter(pk=journey.pk).update(
            state=b"",
            key_id="",
            submitted_at=journey.submitted_at,
            updated_at=journey.updated_at,
            revision=journey.revision,
        )
    forget(journey.pk)


@dataclass(frozen=True)
class Sent:
    reference: str
    channel: str


def sent(journey_id: str) -> Sent | None:
    """What the journey's submission is known by, if it has been sent."""
    if not fastpath.on("journey_memory"):
        found = Submission.objects.filter(journey_id=journey_id).values_list("reference", "channel")
        return Sent(*found[0]) if found else None
    remembered: Sent | None = _sent.get(journey_id)
    if remembered is not None:
        return remembered
    row = sql.one(_sql().sent, [journey_id])
    return Sent(*row) if row else None


def remember_sent(journey_id: str, reference: str, channel: str) -> None:
    """The confirmation page that follows a submission needs no query in the worker that
    made it. Call it once the submission is committed (a rolled-back one was never sent)."""
    if fastpath.on("journey_memory"):
        _sent.put(journey_id, Sent(reference, channel))
