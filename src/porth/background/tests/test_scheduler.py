"""The scheduler: each periodic task runs once when due, however many workers tick."""

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.tasks import task
from django.utils import timezone

from porth.background import scheduler, service
from porth.background.models import ScheduledTask

RUNS: list[str] = []


@task()
def count_run() -> None:
    RUNS.append("ran")


@pytest.fixture
def every_minute(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Only this test's periodic task is registered."""
    monkeypatch.setattr(service, "_periodic", {})
    service.periodic("tests.count", every=timedelta(minutes=1), task=count_run)
    RUNS.clear()
    yield
    RUNS.clear()


@pytest.mark.django_db
def test_a_new_task_runs_at_once_then_once_a_period(every_minute: None) -> None:
    now = timezone.now()

    assert scheduler.tick(now) == ["tests.count"]
    assert scheduler.tick(now) == []  # the same moment, another worker: not again
    assert scheduler.tick(now + timedelta(seconds=59)) == []
    assert scheduler.tick(now + timedelta(seconds=60)) == ["tests.count"]

    assert RUNS == ["ran", "ran"]
    row = ScheduledTask.objects.get()
    assert row.next_run_at == now + timedelta(seconds=120)
    assert row.last_run_at == now + timedelta(seconds=60)


@pytest.mark.django_db
def test_after_a_long_pause_a_task_runs_once_not_once_per_missed_period(
    every_minute: None,
) -> None:
    now = timezone.now()
    scheduler.tick(now)

    scheduler.tick(now + timedelta(days=1))
    scheduler.tick(now + timedelta(days=1))

    assert RUNS == ["ran", "ran"]


@pytest.mark.django_db
def test_a_worker_that_read_the_schedule_late_does_not_run_the_task_again(
    every_minute: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers read the row at the same moment; the second's compare-and-set loses."""
    now = timezone.now()
    ScheduledTask.objects.create(name="tests.count", next_run_at=now)
    real = ScheduledTask.objects.filter

    def other_worker_first(*args: Any, **kwargs: Any) -> Any:
        if "next_run_at" in kwargs:  # the compare and set: another worker got there first
            real(name="tests.count").update(next_run_at=now + timedelta(minutes=1))
        return real(*args, **kwargs)

    monkeypatch.setattr(ScheduledTask.objects, "filter", other_worker_first)

    assert scheduler.tick(now) == []
    assert RUNS == []


@pytest.mark.django_db(transaction=True)
def test_workers_ticking_at_once_run_a_due_task_once(every_minute: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("threads share an in-memory SQLite test database badly; PostgreSQL shows it")
    now = timezone.now()
    start = threading.Barrier(6)
    enqueued: list[list[str]] = []

    def worker() -> None:
        try:
            start.wait()
            enqueued.append(scheduler.tick(now))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(enqueued) == [[], [], [], [], [], ["tests.count"]]
    assert RUNS == ["ran"]


class Unreachable:
    """A task whose queue cannot be reached (Redis is down)."""

    def enqueue(self) -> None:
        raise ConnectionError("Redis is down")


@pytest.mark.django_db
def test_a_failing_enqueue_leaves_the_task_due_for_the_next_tick(
    every_minute: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = timezone.now()
    working = service.registered()["tests.count"]
    broken = service.Periodic(working.name, working.every, Unreachable())  # type: ignore[arg-type]
    monkeypatch.setitem(service._periodic, "tests.count", broken)

    with pytest.raises(ConnectionError):
        scheduler.tick(now)
    monkeypatch.setitem(service._periodic, "tests.count", working)

    assert ScheduledTask.objects.get().next_run_at == now
    assert scheduler.tick(now) == ["tests.count"]


def test_the_scheduler_ticks_often_enough_for_the_shortest_period(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(service, "_periodic", {})
    assert scheduler.wait_between_ticks() == scheduler.LONGEST_WAIT
    service.periodic("tests.often", every=timedelta(seconds=1), task=count_run)
    assert scheduler.wait_between_ticks() == 1.0


def test_a_worker_refuses_to_start_where_tasks_run_as_they_are_enqueued(settings: Any) -> None:
    settings.PORTH_TASKS = "immediate"

    with pytest.raises(CommandError, match="nothing for a worker to do"):
        call_command("worker")


@pytest.mark.django_db
def test_finished_task_records_are_deleted_after_a_week(settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from porth.background.tasks import prune_results

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    count_run.enqueue()
    count_run.enqueue()
    old, new = DBTaskResult.objects.order_by("pk")
    DBTaskResult.objects.filter(pk=old.pk).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=8)
    )
    DBTaskResult.objects.filter(pk=new.pk).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=6)
    )

    prune_results.call()  # as a worker runs it

    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [new.pk]
