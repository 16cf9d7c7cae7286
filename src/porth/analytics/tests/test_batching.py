"""Events buffered as in production (PORTH_ANALYTICS_FLUSH_SECONDS > 0): written together
when the buffer is full or its oldest event has waited long enough, and never at the cost
of a citizen's page."""

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from porth.analytics import recorder
from porth.analytics.models import Event

PAGE = "/services/test-service/name"
PAGES = """
- id: name
  fields:
    - {id: full_name, type: text, label: {en: Name, cy: Enw}}
"""


@pytest.fixture(autouse=True)
def service(services_dir: Any) -> None:
    services_dir(PAGES)


@pytest.fixture
def batched(settings: Any) -> Iterator[Any]:
    settings.PORTH_ANALYTICS_FLUSH_SECONDS = 3600.0
    settings.PORTH_ANALYTICS_BATCH = 3
    yield settings
    recorder.flush()


def _wait_for(condition: Any) -> bool:
    """Polls `condition` for up to ten seconds (a correctness wait, not a speed limit)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:  # the test database (shared in memory) locked by the writer
            pass
        time.sleep(0.02)
    return False


@pytest.mark.django_db(transaction=True)
def test_page_views_wait_in_the_buffer_until_it_is_full(batched: Any) -> None:
    client = Client()
    client.get(PAGE)
    client.get(PAGE)
    assert recorder.pending() == 2
    assert not Event.objects.exists()

    client.get(PAGE)  # the third fills it: the writer thread takes the batch

    assert _wait_for(lambda: Event.objects.filter(kind="page_viewed", page="name").count() == 3)
    assert recorder.pending() == 0


@pytest.mark.django_db(transaction=True)
def test_the_request_that_fills_the_buffer_does_not_write_it(
    batched: Any, monkeypatch: Any
) -> None:
    writers: list[str] = []
    real = recorder._insert

    def insert(rows: Any) -> None:
        writers.append(threading.current_thread().name)
        real(rows)

    monkeypatch.setattr(recorder, "_insert", insert)
    client = Client()
    for _ in range(3):
        client.get(PAGE)

    assert _wait_for(lambda: Event.objects.count() == 3)
    assert set(writers) == {"porth-analytics"}  # (tried again if the table was locked)


@pytest.mark.django_db
def test_events_that_go_with_a_submission_are_written_with_it(batched: Any) -> None:
    client = Client()
    client.post(PAGE, {"full_name": "Jo"})
    client.post("/services/test-service/check-answers")

    assert list(Event.objects.values_list("kind", flat=True)) == ["submitted"]
    assert recorder.pending() == 1  # the page answered, still waiting


@pytest.mark.django_db(transaction=True)
def test_a_quiet_sites_events_are_written_after_the_flush_interval(settings: Any) -> None:
    settings.PORTH_ANALYTICS_FLUSH_SECONDS = 0.05
    settings.PORTH_ANALYTICS_BATCH = 500

    Client().get(PAGE)

    assert _wait_for(lambda: Event.objects.filter(kind="page_viewed").exists())
    assert recorder.pending() == 0


@pytest.mark.django_db(transaction=True)
def test_a_failed_write_does_not_break_the_page(
    settings: Any, monkeypatch: Any, caplog: Any
) -> None:
    settings.PORTH_ANALYTICS_FLUSH_SECONDS = 3600.0
    settings.PORTH_ANALYTICS_BATCH = 1  # written as soon as it is recorded

    def full(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(recorder, "_insert", full)
    page = Client().get(PAGE)

    assert page.status_code == 200
    assert _wait_for(lambda: "could not write 1 analytics events" in caplog.text)
    assert recorder.pending() == 0  # dropped, not retried on every page


@pytest.mark.django_db(transaction=True)
def test_flush_waits_for_the_batch_the_writer_is_writing(batched: Any, monkeypatch: Any) -> None:
    started, release = threading.Event(), threading.Event()
    real = recorder._insert

    def slow(rows: Any) -> None:
        started.set()
        release.wait(10)
        real(rows)

    monkeypatch.setattr(recorder, "_insert", slow)
    client = Client()
    for _ in range(3):  # a full batch: the writer takes it, and is held writing it
        client.get(PAGE)
    assert started.wait(10)
    threading.Timer(0.2, release.set).start()

    recorder.flush()

    assert Event.objects.count() == 3  # written by the writer before flush returned
