"""The roll-up: raw events counted, incrementally and exactly once, into daily Count rows.

Every PORTH_ANALYTICS_ROLLUP_EVERY seconds (tasks.py) `roll_up` reads the events after the
last one it counted, in id order, adds them to the Count rows of their day (the local date of
`Event.at`) and moves its mark (RollupState.last_id) on, in one transaction. So a Count row
is always the exact sum of the events up to the mark, and a roll-up that fails counts nothing.

The watermark rule. Ids are handed out when a row is inserted, but rows become visible when
their transaction commits, which need not be in id order: event 11 can be visible while event
10's transaction is still open. Moving the mark past 11 would skip 10 for ever. So the roll-up
stops at the first event whose `at` is newer than now - PORTH_ANALYTICS_LAG (30 s), and counts
only what comes before it. That is exact as long as no transaction that writes events stays
open longer than the lag less PORTH_ANALYTICS_FLUSH_SECONDS (a buffered event's `at` is when
it happened, its id when its batch is written): journey pages and submissions take
milliseconds. The figures are at most about LAG + ROLLUP_EVERY seconds behind.

Per-journey figures (started, pages reached, answered, errored, exits, completions by device
and experiment variant) count each journey once, whatever it does twice (back, change,
refresh): the journey's Progress row remembers what it has been counted for.

Cheap per event, so a busy year (10,000,000 events: `python -m bench dashboard`) rolls up in
minutes. Events are read as plain tuples (`values_list`), not model instances. Counts and
journeys are written with one short INSERT … ON CONFLICT statement run over many rows
(`executemany`): the database driver parses it once, where a statement of one VALUES list
for hundreds of rows (thousands of placeholders) is parsed afresh every time, which was most
of the roll-up's time on PostgreSQL.

Two roll-ups never count the same event: each locks the RollupState row (SELECT … FOR UPDATE;
on SQLite every write transaction is IMMEDIATE, so they queue for the write lock), and retention
takes the same lock to delete Progress rows. Counts are added with INSERT … ON CONFLICT … DO
UPDATE SET value = value + excluded.value (PostgreSQL and SQLite alike), one row per Count,
however many events went into it.
"""

import zoneinfo
from collections import Counter as Tally
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .buckets import bucket_of
from .models import DIMENSIONS, Count, Event, Kind, MonthCount, Progress, RollupState

BATCH = 2000  # events per transaction: short locks, bounded memory

# The events of a journey: each starts the journey (its Progress) when it is the first seen.
# Ratings and case events name no journey's progress.
JOURNEY_KINDS = frozenset(
    {
        Kind.PAGE_VIEWED,
        Kind.PAGE_ANSWERED,
        Kind.VALIDATION_ERROR,
        Kind.CHANGE_USED,
        Kind.BACK_USED,
        Kind.EXIT_REACHED,
        Kind.SAVED,
        Kind.RESUMED,
        Kind.SUBMITTED,
    }
)
REACHING = frozenset({Kind.PAGE_VIEWED, Kind.PAGE_ANSWERED, Kind.EXIT_REACHED})

# (service, day, metric, channel, device, page, field, detail, variant, bucket)
Key = tuple[str, date, str, str, str, str, str, str, str, int]


class _Event(NamedTuple):
    """An Event as the roll-up reads it: its columns, without a model instance's cost."""

    id: int
    at: datetime
    service: str
    kind: str
    journey: int | None
    page: str
    field: str
    detail: str
    channel: str
    device: str
    variant: str
    value: int | None


EVENT_COLUMNS = _Event._fields
PROGRESS_UPDATED = (
    "last_at", "device", "channel", "reached", "answered", "errored", "exited", "variants",
    "submitted_at",
)  # fmt: skip


def day_of(at: datetime) -> date:
    """The local date an event is counted on."""
    return at.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()


class _Journey:
    """A Progress row being worked on, its space-separated words as sets."""

    def __init__(self, row: Progress) -> None:
        self.row = row
        self.reached = set(row.reached.split())
        self.answered = set(row.answered.split())
        self.errored = set(row.errored.split())
        self.exited = set(row.exited.split())
        self.variants = row.variants.split()

    def saved(self) -> Progress:
        row = self.row
        row.reached = " ".join(sorted(self.reached))
        row.answered = " ".join(sorted(self.answered))
        row.errored = " ".join(sorted(self.errored))
        row.exited = " ".join(sorted(self.exited))
        row.variants = " ".join(self.variants)
        return row


class _Batch:
    """The counts a batch of events adds, and the journeys it moved on."""

    def __init__(self, journeys: dict[int, _Journey]) -> None:
        self.counts: Tally[Key] = Tally()
        self.journeys = journeys

    def add(self, event: _Event, day: date, metric: str, **dims: str | int) -> None:
        key: Key = (
            event.service,
            day,
            metric,
            str(dims.get("channel", event.channel)),
            str(dims.get("device", "")),
            str(dims.get("page", "")),
            str(dims.get("field", "")),
            str(dims.get("detail", "")),
            str(dims.get("variant", "")),
            int(dims.get("bucket", 0)),
        )
        self.counts[key] += 1

    def count(self, event: _Event) -> None:
        day = day_of(event.at)
        kind = event.kind
        if kind == Kind.RATED:
            self.add(event, day, "rating", bucket=event.value or 0)
            return
        if kind == Kind.CASE_OPENED:
            self.add(event, day, "case_opened", detail=event.detail)
            return
        if kind == Kind.CASE_DECIDED:
            self.add(
                event, day, "case_decided", detail=event.detail, field=event.field,
                bucket=bucket_of(event.value or 0),
            )  # fmt: skip
            return
        if event.journey is None:
            # Before the journey is first saved: views of the first page, and mistakes on it
            # (the commonest errors of all), counted; nothing per journey.
            if kind == Kind.PAGE_VIEWED:
                self.add(event, day, "visits", channel="", page=event.page)
            elif kind == Kind.VALIDATION_ERROR:
                self.add(
                    event, day, "errors", page=event.page, field=event.field, detail=event.detail
                )
            return
        if kind not in JOURNEY_KINDS:
            return
        journey = self._journey(event, day)
        page, variant = event.page, event.variant
        if variant and variant not in journey.variants:
            journey.variants.append(variant)
        if kind in REACHING and page and page not in journey.reached:
            journey.reached.add(page)
            self.add(event, day, "reached", page=page, variant=variant)
        if kind == Kind.PAGE_ANSWERED and page not in journey.answered:
            journey.answered.add(page)
            self.add(event, day, "answered", page=page, variant=variant)
        elif kind == Kind.VALIDATION_ERROR:
            self.add(event, day, "errors", page=page, field=event.field, detail=event.detail)
            if page not in journey.errored:
                journey.errored.add(page)
                self.add(event, day, "errored", page=page, variant=variant)
        elif kind == Kind.EXIT_REACHED and page not in journey.exited:
            journey.exited.add(page)
            self.add(event, day, "exits", page=page)
        elif kind == Kind.CHANGE_USED:
            self.add(event, day, "changes", page=page)
        elif kind == Kind.BACK_USED:
            self.add(event, day, "backs", page=page)
        elif kind == Kind.SAVED:
            self.add(event, day, "saved")
        elif kind == Kind.RESUMED:
            self.add(event, day, "resumed")
        elif kind == Kind.SUBMITTED:
            self._submitted(event, day, journey)

    def _journey(self, event: _Event, day: date) -> _Journey:
        assert event.journey is not None
        journey = self.journeys.get(event.journey)
        if journey is None:
            row = Progress(
                journey=event.journey,
                service=event.service,
                started_at=event.at,
                last_at=event.at,
                channel=event.channel,
                device=event.device,
            )
            journey = self.journeys[event.journey] = _Journey(row)
            self.add(event, day, "started", device=event.device)
        row = journey.row
        row.last_at = max(row.last_at, event.at)
        if not row.device and event.device:
            row.device = event.device
        return journey

    def _submitted(self, event: _Event, day: date, journey: _Journey) -> None:
        local = event.at.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
        self.add(event, day, "completed", device=event.device or journey.row.device)
        self.add(event, day, "completed_hour", bucket=local.hour)
        if event.value is not None:
            self.add(event, day, "duration", bucket=bucket_of(event.value))
        for variant in journey.variants:
            self.add(event, day, "completed_variant", variant=variant)
        journey.row.submitted_at = event.at


def _state() -> RollupState:
    """The roll-up's mark, locked until the transaction ends (made on first use)."""
    state = RollupState.objects.select_for_update().filter(pk=1).first()
    if state is None:
        try:
            with transaction.atomic():
                RollupState.objects.create(pk=1, last_id=0)
        except IntegrityError:
            pass  # another worker made it first
        state = RollupState.objects.select_for_update().get(pk=1)
    return state


def lock() -> RollupState:
    """Lock the roll-up (in the caller's transaction): retention holds it while it deletes."""
    return _state()


def _upsert(counts: Tally[Key], model: type[Count] | type[MonthCount], day_column: str) -> None:
    if not counts:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ["service", day_column, "metric", *DIMENSIONS]
    names = ", ".join(quote(c) for c in columns)
    value = quote("value")
    sql = (
        f"INSERT INTO {table} ({names}, {value}) VALUES ({', '.join(['%s'] * (len(columns) + 1))}) "
        f"ON CONFLICT ({names}) DO UPDATE SET {value} = {table}.{value} + excluded.{value}"
    )
    adapt = connection.ops.adapt_datefield_value
    # Sorted: one order for every writer, so two never wait on each other's rows in turn.
    rows: list[tuple[Any, ...]] = [
        (service, adapt(day), *rest, n) for (service, day, *rest), n in sorted(counts.items())
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _save(journeys: Iterable[_Journey]) -> None:
    """Insert or update the journeys' Progress rows."""
    rows = [journey.saved() for journey in journeys]
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ["journey", "service", "started_at", *PROGRESS_UPDATED]
    updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in PROGRESS_UPDATED)
    sql = (
        f"INSERT INTO {quote(Progress._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({quote('journey')}) DO UPDATE SET {updates}"
    )
    adapt = connection.ops.adapt_datetimefield_value
    params = [
        (
            row.journey,
            row.service,
            adapt(row.started_at),
            adapt(row.last_at),
            row.device,
            row.channel,
            row.reached,
            row.answered,
            row.errored,
            row.exited,
            row.variants,
            adapt(row.submitted_at),
        )
        for row in sorted(rows, key=lambda row: row.journey)
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _roll_up_batch(size: int, cutoff: datetime) -> tuple[int, bool]:
    """Count up to `size` events in one transaction: how many, and whether it stopped at
    one too new to count yet (the lag) rather than at the end."""
    with transaction.atomic():
        state = _state()
        found = Event.objects.filter(id__gt=state.last_id).order_by("id")[:size]
        events = [_Event(*row) for row in found.values_list(*EVENT_COLUMNS)]
        ready = []
        for event in events:
            if event.at > cutoff:
                break
            ready.append(event)
        held = len(ready) < len(events)
        if not ready:
            return 0, held
        keys = {e.journey for e in ready if e.journey is not None and e.kind in JOURNEY_KINDS}
        journeys = {row.journey: _Journey(row) for row in Progress.objects.filter(journey__in=keys)}
        batch = _Batch(journeys)
        for event in ready:
            batch.count(event)
        _upsert(batch.counts, Count, "day")
        months: Tally[Key] = Tally()
        for key, n in batch.counts.items():
            months[(key[0], key[1].replace(day=1), *key[2:])] += n
        _upsert(months, MonthCount, "month")
        _save(journeys.values())
        state.last_id = ready[-1].id
        state.save(update_fields=["last_id", "updated_at"])
    return len(ready), held


def roll_up(limit: int | None = None, *, now: datetime | None = None) -> int:
    """Count the events not yet counted (at most `limit`), BATCH to a transaction; how many
    were counted. Safe to run in several workers at once. `now`: the time the lag is
    counted back from (tests; a demo seeding events in the past)."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.PORTH_ANALYTICS_LAG)
    done = 0
    while limit is None or done < limit:
        size = BATCH if limit is None else min(BATCH, limit - done)
        counted, held = _roll_up_batch(size, cutoff)
        done += counted
        if counted < size or held:
            break
    return done


def behind() -> int:
    """How many events wait to be counted (for the dashboards' "figures as of")."""
    last = RollupState.objects.filter(pk=1).values_list("last_id", flat=True).first() or 0
    return Event.objects.filter(id__gt=last).count()
