"""Deleting what performance data no longer needs (run by porth.retention every day).

- Raw events older than PORTH_ANALYTICS_RAW_DAYS that are counted already (the rollups, kept
  for good, hold all they said) go from the oldest by id, a batch a transaction. Events are
  indexed by id only: the oldest are the lowest ids, so each batch is a range of the primary
  key, found by walking up from the start while `at` is old enough (it stops at the first
  younger one, so the walk never reads what it keeps).
- A journey's Progress row goes once nothing more will be counted for it: a day after its
  submission was counted (a straggler from a batch has long been written by then), or once
  idle longer than any journey can wait (PORTH_JOURNEY_IDLE_DAYS + PORTH_SAVE_DAYS).

Both hold the roll-up's lock while they delete, so no roll-up is midway through those rows.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from .models import Event, Progress, RollupState
from .rollups import lock

BATCH = 5000
SUBMITTED_KEPT = timedelta(days=1)


def events_before(now: datetime) -> datetime:
    """Raw events older than this are deleted (once counted)."""
    return now - timedelta(days=settings.PORTH_ANALYTICS_RAW_DAYS)


def _progress_due(now: datetime) -> QuerySet[Progress]:
    idle = now - timedelta(days=settings.PORTH_JOURNEY_IDLE_DAYS + settings.PORTH_SAVE_DAYS)
    return Progress.objects.filter(
        Q(submitted_at__lt=now - SUBMITTED_KEPT) | Q(submitted_at__isnull=True, last_at__lt=idle)
    )


def _old_events(after: int, counted: int, before: datetime, size: int) -> list[int]:
    """Ids of the next events after id `after`, counted and older than `before`, oldest
    first, up to the first that is not."""
    ids = []
    rows = Event.objects.filter(id__gt=after, id__lte=counted).order_by("id")[:size]
    for pk, at in rows.values_list("id", "at"):
        if at >= before:
            break
        ids.append(pk)
    return ids


def count_due(now: datetime) -> dict[str, int]:
    """What `prune` would delete now (the retention dry run)."""
    counted = RollupState.objects.filter(pk=1).values_list("last_id", flat=True).first() or 0
    before = events_before(now)
    events, after = 0, 0
    while ids := _old_events(after, counted, before, BATCH):
        events += len(ids)
        after = ids[-1]
        if len(ids) < BATCH:
            break
    return {"analytics events": events, "journey progress": _progress_due(now).count()}


def prune(now: datetime, *, batch_size: int = BATCH) -> dict[str, int]:
    """Delete the raw events and Progress rows no longer needed; how many of each."""
    before = events_before(now)
    events = 0
    while True:
        with transaction.atomic():
            counted = lock().last_id
            ids = _old_events(0, counted, before, batch_size)
            if ids:
                # A range of the primary key: ids in it are all old (it stops at a young one).
                Event.objects.filter(id__gte=ids[0], id__lte=ids[-1]).delete()
        events += len(ids)
        if len(ids) < batch_size:
            break
    progress = 0
    while True:
        with transaction.atomic():
            lock()
            keys = list(_progress_due(now).values_list("journey", flat=True)[:batch_size])
            if keys:
                Progress.objects.filter(journey__in=keys).delete()
        progress += len(keys)
        if len(keys) < batch_size:
            break
    return {"analytics events": events, "journey progress": progress}
