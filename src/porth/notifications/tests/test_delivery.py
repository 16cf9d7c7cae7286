"""Delivery: each message reaches the provider once, whatever fails on the way (the provider,
the worker, the queue), or fails with a reason staff can read on the case.

The tests run the task as a worker would (the immediate backend) and move the delivery clock
on instead of waiting; a fake provider records what it accepted.
"""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db.models import F

from porth.casework.models import CaseEvent
from porth.notifications import delivery
from porth.notifications.channels import (
    Message,
    PermanentFailure,
    TechnicalFailure,
    TemporaryFailure,
)
from porth.notifications.models import PENDING, Notification, Status

from .conftest import Clock
from .fakes import Provider
from .helpers import Templates, case_of, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    return django_capture_on_commit_callbacks(execute=True)


def write(answers: dict[str, Any] | None = None) -> Notification:
    """A submission whose confirmation is written (not yet sent: its task is not run)."""
    submit(answers or {"email": "jo@example.com"})
    return Notification.objects.get()


def run_until_sent(clock: Clock, *, hours: float, step_seconds: float = 60) -> None:
    """Move the clock on a step at a time, running the sweep as the scheduler would."""
    for _ in range(int(hours * 3600 / step_seconds)):
        if not Notification.objects.filter(status__in=PENDING).exists():
            return
        clock.advance(seconds=step_seconds)
        delivery.requeue_lost()


def due(row: Notification) -> datetime:
    assert row.next_attempt_at is not None
    return row.next_attempt_at


def failures_on(row: Notification) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=row.case, kind="notification_failed"))


def test_a_message_is_sent_once_and_recorded_as_with_the_provider(
    templates: Templates, provider: Provider, clock: Clock
) -> None:
    row = write()

    assert delivery.attempt(row.pk) == "sending"
    assert delivery.attempt(row.pk) == "not due"  # a second task for it sends nothing

    row.refresh_from_db()
    assert provider.references() == [row.reference]
    assert (row.status, row.attempts, row.provider_id) == (Status.SENDING, 1, "fake-1")
    assert row.sent_at == clock.at
    assert row.next_attempt_at is None and row.lease_until is None


def test_a_channel_that_knows_it_arrived_records_it_delivered(
    templates: Templates, provider: Provider, clock: Clock
) -> None:
    provider.delivered = True
    row = write()

    assert delivery.attempt(row.pk) == "delivered"


def test_the_provider_answering_500_then_200_delivers_once(
    templates: Templates, provider: Provider, clock: Clock
) -> None:
    provider.script = [TemporaryFailure("The provider answered 500 Internal Server Error.")]
    row = write()

    assert delivery.attempt(row.pk) == "temporary-failure"
    row.refresh_from_db()
    assert row.status_detail == "The provider answered 500 Internal Server Error."
    assert clock.at + timedelta(seconds=5) <= due(row) <= clock.at + timedelta(seconds=30)
    assert delivery.attempt(row.pk) == "not due"  # not before its time

    clock.at = due(row)
    assert delivery.attempt(row.pk) == "sending"
    assert provider.references() == [row.reference]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.status_detail) == (Status.SENDING, 2, "")


def test_the_provider_down_for_an_hour_loses_and_repeats_nothing(
    templates: Templates, provider: Provider, clock: Clock, sent_on_commit: Any
) -> None:
    provider.down_until = clock.at + timedelta(hours=1)
    with sent_on_commit:  # each first attempt runs as its transaction commits, and fails
        for number in range(20):
            submit({"email": f"applicant{number}@example.com"})
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.TEMPORARY_FAILURE}

    run_until_sent(clock, hours=4)

    rows = list(Notification.objects.all())
    assert {row.status for row in rows} == {Status.SENDING}
    assert sorted(provider.references()) == sorted(row.reference for row in rows)
    # Backoff: a handful of attempts each over the hour, not one a minute.
    assert all(3 <= row.attempts <= 12 for row in rows), [row.attempts for row in rows]
    assert all(row.sent_at and row.sent_at >= clock.start + timedelta(hours=1) for row in rows)


def test_a_rate_limit_is_waited_out(templates: Templates, provider: Provider, clock: Clock) -> None:
    provider.script = [TemporaryFailure("Too many requests (429).", retry_after=600)]
    row = write()

    delivery.attempt(row.pk)

    row.refresh_from_db()
    assert due(row) >= clock.at + timedelta(seconds=600)


def test_backoff_grows_with_full_jitter_up_to_an_hour() -> None:
    for attempts in range(1, 20):
        ceiling = min(3600.0, 30.0 * 2 ** (attempts - 1))
        waits = [delivery.backoff(attempts) for _ in range(50)]
        assert all(5.0 <= wait <= max(ceiling, 5.0) for wait in waits)
        assert len(set(waits)) > 1  # spread, so that failed messages do not return together
    assert delivery.backoff(1, retry_after=120) >= 120


def test_a_message_still_failing_after_three_days_is_given_up_and_shown_on_the_case(
    templates: Templates, provider: Provider, clock: Clock
) -> None:
    provider.down_until = clock.at + timedelta(days=30)
    row = write()

    run_until_sent(clock, hours=80, step_seconds=600)

    row.refresh_from_db()
    assert row.status == Status.PERMANENT_FAILURE
    assert row.status_detail.startswith(f"Gave up after {row.attempts} attempts over 3 days.")
    assert row.started_at + timedelta(days=3) - timedelta(hours=1) <= clock.at
    assert provider.received == []
    assert len(failures_on(row)) == 1


# --- A worker that dies, a task that is lost ---------------------------------------------


def die_while_sending(
    row: Notification, clock: Clock, provider: Provider, *, arrived: bool
) -> None:
    """What a worker killed mid-send leaves: the row claimed, its lease running, and the
    message with the provider or not."""
    Notification.objects.filter(pk=row.pk).update(
        status=Status.SENDING,
        attempts=F("attempts") + 1,
        lease_until=clock.at + delivery._lease(),
        next_attempt_at=clock.at + delivery._lease(),
    )
    if arrived:
        provider.send(Message(row.reference, "email", "jo@example.com", "s", "b", "en", "tell-us"))


def test_a_message_sent_by_a_worker_that_died_is_found_not_sent_again(
    templates: Templates, provider: Provider, clock: Clock
) -> None:
    row = write()
    die_while_sending(row, clock, provider, arrived=True)

    assert delivery.attempt(row.pk) == "not due"  # the lease still runs: it may be sending
    clock.advance(seconds=delivery._lease().total_seconds() * 2 + 1)
    assert delivery.requeue_lost() == 1

    row.refresh_from_db()
    assert row.status == Status.SENDING and row.provider_id == "fake-1"
    assert provider.references() == [row.reference]  # asked, found, not sent again
    assert provider.calls == 1


def test_a_message_a_worker_died_before_sending_is_sent_once(
    templates: Templates, provider: Provider, clock: Clock
) -> None:
    row = write()
    die_while_sending(row, clock, provider, arrived=False)
    clock.advance(seconds=delivery._lease().total_seconds() * 2 + 1)

    delivery.requeue_lost()

    assert provider.references() == [row.reference]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENDING, 2)


def test_a_lost_task_is_queued_again_by_the_sweep_but_a_queued_one_is_left_alone(
    templates: Templates, provider: Provider, clock: Clock
) -> None:
    row = write()  # its task was never run: lost with the queue, say

    assert delivery.requeue_lost() == 0  # young: its task may still be in the queue
    clock.advance(seconds=delivery._lease().total_seconds() + 1)
    assert delivery.requeue_lost() == 1

    assert provider.references() == [row.reference]
    assert delivery.requeue_lost() == 0


def test_the_sweep_queues_a_long_backlog_again_once_a_lease_not_every_time(
    templates: Templates, provider: Provider, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[int] = []
    monkeypatch.setattr(delivery, "_enqueue", lambda pk, run_after=None: queued.append(pk))
    write()
    clock.advance(seconds=delivery._lease().total_seconds() + 1)

    delivery.requeue_lost()
    clock.advance(seconds=60)
    delivery.requeue_lost()

    assert len(queued) == 1


def test_a_channel_fault_keeps_the_message_unsure_so_the_provider_is_asked_first(
    templates: Templates, provider: Provider, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = write()
    real_send = provider.send

    def send_then_fail(message: Any) -> Any:
        real_send(message)
        raise ConnectionResetError("reset after the provider took it")

    monkeypatch.setattr(provider, "send", send_then_fail)
    assert delivery.attempt(row.pk) == "sending"  # not known to have failed
    row.refresh_from_db()
    assert "ConnectionResetError" in row.status_detail
    monkeypatch.setattr(provider, "send", real_send)

    clock.at = due(row)
    delivery.attempt(row.pk)

    assert provider.references() == [row.reference]
    row.refresh_from_db()
    assert row.provider_id == "fake-1" and row.status_detail == ""


def test_without_a_way_to_ask_the_provider_a_message_is_sent_again_rather_than_lost(
    templates: Templates, provider: Provider, clock: Clock
) -> None:
    provider.can_find = False  # an SMTP server cannot be asked
    row = write()
    die_while_sending(row, clock, provider, arrived=True)
    clock.advance(seconds=delivery._lease().total_seconds() * 2 + 1)

    delivery.requeue_lost()

    assert provider.references() == [row.reference, row.reference]


def test_a_worker_that_overran_its_lease_does_not_overwrite_the_one_that_took_over(
    templates: Templates, provider: Provider, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = write()

    def slow_send(message: Any) -> Any:
        # Meanwhile the lease ran out and another worker claimed the row.
        Notification.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        return Provider.send(provider, message)

    monkeypatch.setattr(provider, "send", slow_send)

    assert delivery.attempt(row.pk) == "taken over"


# --- Failures staff must see -------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        ({"email": "jo@example..com"}, "The email address is not valid."),
        ({"phone": "+441632960000"}, "is not a UK mobile number"),
    ],
)
def test_an_address_that_cannot_be_sent_to_fails_at_send_time_and_shows_on_the_case(
    answers: dict[str, Any],
    reason: str,
    templates: Templates,
    provider: Provider,
    clock: Clock,
) -> None:
    row = write(answers)

    assert delivery.attempt(row.pk) == "permanent-failure"

    row.refresh_from_db()
    assert reason in row.status_detail
    assert provider.calls == 0
    assert len(failures_on(row)) == 1


@pytest.mark.parametrize(
    ("failure", "status"),
    [
        (PermanentFailure("The provider refused the message (400)."), "permanent-failure"),
        (TechnicalFailure("The provider refused our API key (403)."), "technical-failure"),
    ],
)
def test_a_refusal_is_recorded_with_its_reason_and_put_on_the_case(
    failure: Exception, status: str, templates: Templates, provider: Provider, clock: Clock
) -> None:
    provider.script = [failure]  # type: ignore[list-item]
    row = write()

    assert delivery.attempt(row.pk) == status

    row.refresh_from_db()
    assert row.status_detail == str(failure)
    [event] = failures_on(row)
    assert event.actor is None


def test_a_channel_that_is_not_installed_is_a_technical_failure(
    templates: Templates, provider: Provider, clock: Clock
) -> None:
    row = write()
    Notification.objects.filter(pk=row.pk).update(channel="carrier-pigeon")

    assert delivery.attempt(row.pk) == "technical-failure"
    row.refresh_from_db()
    assert row.status_detail == "No notification channel named 'carrier-pigeon' is installed."


def test_a_failed_message_reset_by_staff_is_sent_again_with_a_new_window(
    templates: Templates, provider: Provider, clock: Clock, sent_on_commit: Any
) -> None:
    provider.script = [PermanentFailure("Refused (400).")]
    row = write()
    delivery.attempt(row.pk)
    clock.advance(days=5)

    with sent_on_commit:  # as the staff's retry action leaves it
        Notification.objects.filter(pk=row.pk).update(
            status=Status.CREATED, attempts=0, next_attempt_at=clock.at, status_detail=""
        )
        delivery.schedule(row.pk)

    row.refresh_from_db()
    assert (row.status, row.attempts, row.started_at) == (Status.SENDING, 1, clock.at)
    assert provider.references() == [row.reference]


def test_the_sweep_is_a_periodic_task_of_every_worker() -> None:
    from porth.background.service import registered

    sweep = registered()["notifications.sweep"]
    assert sweep.task is delivery.sweep
    assert sweep.every == timedelta(seconds=60)


def test_a_failure_on_a_saved_journeys_message_has_no_case_to_go_on(
    templates: Templates, provider: Provider, clock: Clock
) -> None:
    case = case_of(submit({"email": "jo@example..com"}))
    row = Notification.objects.get()
    Notification.objects.filter(pk=row.pk).update(case=None)

    assert delivery.attempt(row.pk) == "permanent-failure"
    assert not CaseEvent.objects.filter(case=case, kind="notification_failed").exists()


def test_staff_read_on_the_timeline_that_porth_could_not_send_the_message(
    templates: Templates, provider: Provider, clock: Clock
) -> None:
    from porth.casework.display import timeline

    row = write({"email": "jo@example..com"})
    delivery.attempt(row.pk)

    entry = timeline(row.case)[-1]  # type: ignore[arg-type]
    assert (entry.title, entry.actor) == ("Message to the applicant failed", "Porth")
    assert entry.text.startswith("Email not sent (confirmation of the application): ")
    assert "The email address is not valid." in entry.text


def test_a_message_that_cannot_be_read_is_a_technical_failure_not_a_stuck_one(
    templates: Templates, provider: Provider, clock: Clock
) -> None:
    row = write()
    Notification.objects.filter(pk=row.pk).update(key_id="removed")  # its key was removed

    assert delivery.attempt(row.pk) == "technical-failure"
    row.refresh_from_db()
    assert row.status_detail == "An error in Porth (KeyError_)."
    assert provider.calls == 0


def test_a_channel_for_email_only_cannot_send_a_text_message(
    templates: Templates, provider: Provider, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .fakes import FakeChannel

    monkeypatch.setattr(FakeChannel, "kinds", frozenset({"email"}))
    row = write({"phone": "07700 900123"})

    assert delivery.attempt(row.pk) == "technical-failure"
    row.refresh_from_db()
    assert row.status_detail == "The fake channel cannot send a text message."


def test_retention_erases_a_sent_message_that_no_receipt_will_follow_but_not_one_in_flight(
    templates: Templates, provider: Provider, clock: Clock
) -> None:
    from porth.notifications.service import next_to_erase

    sent = write()
    delivery.attempt(sent.pk)  # the provider took it: "sending" for good (SMTP sends no receipt)
    submit({"email": "sam@example.com"})
    in_flight = Notification.objects.exclude(pk=sent.pk).get()
    die_while_sending(in_flight, clock, provider, arrived=False)

    later = clock.at + timedelta(days=1)
    assert next_to_erase("tell-us", later, 10) == [sent.pk]
