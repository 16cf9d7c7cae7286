"""The scheduler: enqueues each registered periodic task when it is due, once, however many
workers on however many machines tick at the same time.

Every `porth worker` ticks (a thread beside its task loop). A tick reads the schedule (one
ScheduledTask row per task), and for each task due moves its `next_run_at` on with a
compare-and-set UPDATE: `... WHERE name = %s AND next_run_at = <the value read>`. Of several
workers that read the same row, the database lets exactly one update it (the others match no
row, as the value has changed), and only that one enqueues the task: in the same transaction,
so with the database backend the task and the move are committed together or not at all.
"""

import logging
import threading
from datetime import datetime, timedelta

from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from .models import ScheduledTask
from .service import Periodic, registered

logger = logging.getLogger(__name__)

# The longest a worker waits between ticks: a periodic task runs at most this late.
LONGEST_WAIT = 5.0


def _ensure_rows(tasks: dict[str, Periodic], found: dict[str, datetime], now: datetime) -> None:
    """Rows for tasks registered since the last tick; a new task is due at once. Several
    workers may insert the same row at once: the conflict is ignored, not raised (INSERT OR
    IGNORE on SQLite, ON CONFLICT DO NOTHING on PostgreSQL), and the rows are read again."""
    missing = [name for name in tasks if name not in found]
    if not missing:
        return
    ScheduledTask.objects.bulk_create(
        [ScheduledTask(name=name, next_run_at=now) for name in missing], ignore_conflicts=True
    )
    found.update(ScheduledTask.objects.filter(name__in=missing).values_list("name", "next_run_at"))


def tick(now: datetime | None = None) -> list[str]:
    """Enqueue every periodic task that is due and that no other worker has taken; return
    the names of those this call enqueued."""
    tasks = registered()
    if not tasks:
        return []
    now = now or timezone.now()
    found = dict(
        ScheduledTask.objects.filter(name__in=list(tasks)).values_list("name", "next_run_at")
    )
    _ensure_rows(tasks, found, now)
    enqueued = []
    for name, due in sorted(found.items()):
        if due > now:
            continue
        periodic = tasks[name]
        with transaction.atomic():
            # next_run_at counts from now, not from `due`: after a pause (no worker for a
            # day) a task runs once, not once for every period it missed.
            taken = ScheduledTask.objects.filter(name=name, next_run_at=due).update(
                next_run_at=now + periodic.every, last_run_at=now
            )
            if taken:
                periodic.task.enqueue()
                enqueued.append(name)
    return enqueued


def wait_between_ticks() -> float:
    """Seconds between ticks: LONGEST_WAIT, or the shortest period registered if shorter
    (tests run a sweep every second), but never under half a second."""
    periods = [periodic.every for periodic in registered().values()]
    shortest = min(periods, default=timedelta(seconds=LONGEST_WAIT)).total_seconds()
    return max(0.5, min(LONGEST_WAIT, shortest))


class Ticker(threading.Thread):
    """Ticks until stopped, in a daemon thread beside a worker's task loop. A failed tick
    (the database restarting) is logged and tried again at the next one."""

    def __init__(self) -> None:
        super().__init__(name="porth-scheduler", daemon=True)
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                close_old_connections()  # as a request would: drop a broken connection
                try:
                    for name in tick():
                        logger.info("Scheduled %s", name)
                except Exception:
                    logger.exception("The scheduler's tick failed; it will try again")
                self.stopping.wait(wait_between_ticks())
        finally:
            connection.close()  # this thread's own connection

    def stop(self, timeout: float = 10.0) -> None:
        self.stopping.set()
        self.join(timeout)
