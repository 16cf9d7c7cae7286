"""Retention: what is erased, when, and what is kept; the dry run; the audit log; the task."""

import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from porth import cli, retention
from porth.audit.models import AuditEvent
from porth.audit.verify import verify_chain
from porth.background.service import registered
from porth.casework.models import Case, CaseEvent
from porth.casework.service import add_event
from porth.casework.tests.helpers import service_yaml
from porth.notifications.models import Notification, Status
from porth.services import registry
from porth.services.definition import Definition
from porth.submissions import actions
from porth.submissions.models import Journey, Submission
from porth.utils.crypto import decrypt, encrypt

pytestmark = pytest.mark.django_db

SLUG = "short-keep"  # retention P1D
KEEPER = "keep-forever"  # no retention
NAME = "Jo Bloggs-Prydderch"
DAY = timedelta(days=1)


@pytest.fixture
def services(tmp_path: Path, settings: Any) -> Iterator[dict[str, Definition]]:
    """Two services that open a case: one keeps data a day, the other has no retention."""
    settings.PORTH_SERVICES_DIR = tmp_path
    (tmp_path / f"{SLUG}.yaml").write_text(service_yaml(SLUG) + "retention: P1D\n")
    (tmp_path / f"{KEEPER}.yaml").write_text(service_yaml(KEEPER))
    registry.reload()
    yield registry.definitions()
    registry.reload()


@pytest.fixture
def send(services: dict[str, Definition]) -> Callable[..., Submission]:
    """Send a submission through the real path (journey, submit, case opened), then date it
    `age` ago, with a note on its case and a notification sent about it."""

    def sent(slug: str = SLUG, *, age: timedelta = 2 * DAY, name: str = NAME) -> Submission:
        definition = services[slug]
        journey = actions.new_journey(definition, language="en")
        state = actions.engine.State(
            {"full_name": name, "alone": True}, frozenset({"name", "alone"})
        )
        actions.save_state(journey, state, definition=definition)
        submission = actions.submit(journey, definition, language="en", today=date.today())
        when = timezone.now() - age
        Submission.objects.filter(pk=submission.pk).update(submitted_at=when)
        case = Case.objects.get(submission=submission)
        add_event(case, "note", {"text": f"Rang {name} back"})
        notify(case, created_at=when)
        submission.refresh_from_db()
        return submission

    return sent


def notify(case: Case, *, created_at: datetime, status: str = Status.DELIVERED) -> Notification:
    content, key_id = encrypt(
        {"to": "jo@example.com", "subject": "Received", "body": f"Dear {NAME}"},
        context="notification",
    )
    notification = Notification.objects.create(
        kind="email",
        channel="outbox",
        event="submitted",
        service=case.service,
        case=case,
        content=content,
        key_id=key_id,
        status=status,
    )
    Notification.objects.filter(pk=notification.pk).update(created_at=created_at)
    return notification


def _erased(submission: Submission) -> bool:
    submission.refresh_from_db()
    return submission.erased_at is not None


def _personal_left(submission: Submission) -> dict[str, Any]:
    """What personal data a submission's rows still hold."""
    submission.refresh_from_db()
    case = Case.objects.get(submission=submission)
    return {
        "answers": bytes(submission.answers),
        "journey": submission.journey_id,
        "name_index": case.name_index,
        "details": [bytes(e.detail) for e in case.events.all() if e.detail],
        "notifications": [bytes(n.content) for n in case.notifications.all() if n.content],
    }


# --- What is erased, and what is kept ----------------------------------------------------


def test_old_submissions_lose_their_personal_data_and_new_ones_keep_it(send):
    old, new = send(age=2 * DAY), send(age=DAY / 2)
    old_journey = old.journey_id

    retention.run()

    assert _erased(old) and not _erased(new)
    assert _personal_left(old) == {
        "answers": b"",
        "journey": None,
        "name_index": "",
        "details": [],
        "notifications": [],
    }
    assert not Journey.objects.filter(pk=old_journey).exists()
    assert actions.read_answers(old) == {}
    assert actions.read_answers(new) == {"full_name": NAME, "alone": True}
    assert _personal_left(new)["details"] and _personal_left(new)["notifications"]


def test_what_is_left_for_statistics_is_kept(send):
    old = send()
    case = Case.objects.get(submission=old)
    before = {
        "reference": old.reference,
        "service": old.service,
        "channel": old.channel,
        "language": old.language,
        "submitted_at": old.submitted_at,
        "definition": old.definition_id,
        "status": case.status,
        "queue": case.queue_id,
        "events": list(case.events.values_list("kind", "at")),
        "notifications": list(case.notifications.values_list("status", "event", "kind")),
    }

    retention.run()

    old.refresh_from_db()
    case.refresh_from_db()
    assert before == {
        "reference": old.reference,
        "service": old.service,
        "channel": old.channel,
        "language": old.language,
        "submitted_at": old.submitted_at,
        "definition": old.definition_id,
        "status": case.status,
        "queue": case.queue_id,
        "events": list(case.events.values_list("kind", "at")),
        "notifications": list(case.notifications.values_list("status", "event", "kind")),
    }
    assert case.reference == old.reference
    assert all(n.erased_at is not None for n in case.notifications.all())


def test_a_service_without_retention_keeps_everything(send):
    kept = send(KEEPER, age=3650 * DAY)

    report = retention.run()

    assert not _erased(kept)
    assert _personal_left(kept)["answers"]
    (about,) = [item for item in report.services if item.service == KEEPER]
    assert about.retention is None and "no retention period: kept" in about.note


def test_the_period_is_counted_on_the_calendar():
    now = datetime(2025, 3, 31, 12, tzinfo=UTC)
    assert retention.cutoff("P1M", now).date() == date(2025, 2, 28)
    assert retention.cutoff("P1Y", datetime(2024, 2, 29, 12, tzinfo=UTC)).date() == date(
        2023, 2, 28
    )


def test_a_notification_waiting_to_be_sent_is_erased_only_once_sent(send):
    old = send()
    case = Case.objects.get(submission=old)
    waiting = notify(case, created_at=timezone.now() - 2 * DAY, status=Status.CREATED)

    retention.run()
    waiting.refresh_from_db()
    assert waiting.content and waiting.erased_at is None

    Notification.objects.filter(pk=waiting.pk).update(status=Status.DELIVERED)
    retention.run()
    waiting.refresh_from_db()
    assert not waiting.content and waiting.erased_at is not None


def test_a_message_sent_after_its_case_was_erased_is_erased_next_time(send):
    old = send()
    retention.run()
    late = notify(Case.objects.get(submission=old), created_at=timezone.now())

    retention.run()

    late.refresh_from_db()
    assert not late.content and late.erased_at is not None


def test_a_service_no_longer_loaded_is_erased_under_its_last_retention(send, settings):
    old = send()
    (Path(settings.PORTH_SERVICES_DIR) / f"{SLUG}.yaml").unlink()
    registry.reload()

    report = retention.run()

    assert _erased(old)
    (about,) = [item for item in report.services if item.service == SLUG]
    assert "no longer loaded" in about.note


# --- Safe to repeat, in batches ----------------------------------------------------------


def test_erasing_twice_is_harmless(send):
    old = send()
    retention.run()
    erased_at = Submission.objects.get(pk=old.pk).erased_at
    entries = AuditEvent.objects.count()

    report = retention.run()

    assert Submission.objects.get(pk=old.pk).erased_at == erased_at
    assert AuditEvent.objects.count() == entries  # nothing erased, nothing recorded
    assert not any(sum(item.counts.values()) for item in report.services)


def test_erasure_goes_in_batches_each_audited(send):
    olds = [send() for _ in range(5)]

    report = retention.run(batch_size=2)

    assert all(_erased(old) for old in olds)
    batches = AuditEvent.objects.filter(action="retention.erased", data__submissions__gt=0)
    assert sorted(entry.data["submissions"] for entry in batches) == [1, 2, 2]
    (about,) = [item for item in report.services if item.service == SLUG]
    assert about.counts["submissions"] == 5 and about.counts["notifications"] == 5


# --- The audit log -----------------------------------------------------------------------


def test_each_erasure_is_audited_with_counts_and_never_the_data(send):
    old = send()

    retention.run(by="a test")

    entries = list(AuditEvent.objects.filter(action__startswith="retention."))
    assert [entry.action for entry in entries] == ["retention.erased", "retention.erased"]
    first, second = (entry.data for entry in entries)
    assert first == {
        "service": SLUG,
        "retention": "P1D",
        "before": first["before"],
        "by": "a test",
        "submissions": 1,
        "sent_journeys": 1,
        "cases": 1,
        "case_events": 1,
        "information_requests": 0,
    }
    assert second == {key: first[key] for key in ("service", "retention", "before", "by")} | {
        "notifications": 1
    }
    written = json.dumps([entry.data for entry in entries])
    for personal in (NAME, "Bloggs", "jo@example.com", old.reference):
        assert personal not in written
    assert all(entry.organisation.slug == "test-council" for entry in entries)
    assert all(entry.actor is None for entry in entries)


def test_the_audit_chain_verifies_after_erasure(send, capsys):
    send()
    send(age=DAY / 2)
    retention.run()

    assert verify_chain().intact
    call_command("audit", "verify")
    assert "chain intact" in capsys.readouterr().out


# --- The dry run and the command ---------------------------------------------------------


def test_a_dry_run_reports_what_would_go_and_changes_nothing(send):
    old, new = send(), send(age=DAY / 2)
    send(KEEPER, age=3650 * DAY)
    entries = AuditEvent.objects.count()

    report = retention.plan()

    assert not _erased(old) and not _erased(new)
    assert AuditEvent.objects.count() == entries
    (about,) = [item for item in report.services if item.service == SLUG]
    assert about.counts["submissions"] == 1 and about.counts["cases"] == 1
    assert about.counts["case events"] == 1 and about.counts["notifications"] == 1
    assert about.counts["open cases"] == 1
    assert about.before is not None
    assert abs(about.before - (timezone.now() - DAY)) < timedelta(minutes=1)

    text = retention.describe(report)
    assert "a dry run, nothing is changed" in text
    assert f"{SLUG} (retention P1D): older than" in text and "would be erased" in text
    assert "submissions 1, sent journeys 1, cases 1, case events 1, notifications 1" in text
    assert "1 of those cases are still open" in text
    assert f"{KEEPER}: no retention period: kept" in text


def test_the_dry_run_counts_what_the_run_then_erases(send):
    for age in (2 * DAY, 3 * DAY, DAY / 3):
        send(age=age)

    planned = {item.service: item.counts for item in retention.plan().services}
    done = {item.service: item.counts for item in retention.run().services}

    planned[SLUG].pop("open cases")
    assert planned == done


def test_porth_retention_prints_per_service(send, capsys):
    old = send()

    assert cli.main(["retention", "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert not _erased(old)
    assert f"{SLUG} (retention P1D)" in dry and "would be erased: submissions 1" in dry

    assert cli.main(["retention"]) == 0
    done = capsys.readouterr().out
    assert _erased(old)
    assert "erased: submissions 1" in done and "would be" not in done
    entry = AuditEvent.objects.filter(action="retention.erased").first()
    assert entry is not None and entry.data["by"] == "porth retention"


# --- Abandoned journeys ------------------------------------------------------------------


def _journey(definition: Definition, *, idle: timedelta, **fields: Any) -> Journey:
    journey = actions.new_journey(definition, language="en", **fields)
    state = actions.engine.State({"full_name": NAME}, frozenset({"name"}))
    actions.save_state(journey, state, definition=definition)
    Journey.objects.filter(pk=journey.pk).update(updated_at=timezone.now() - idle)
    return journey


def test_abandoned_journeys_are_erased_after_their_expiry_unread(services, settings, send):
    settings.PORTH_JOURNEY_IDLE_DAYS = 7
    definition = services[KEEPER]  # journeys go whatever the service's retention
    idle = _journey(definition, idle=8 * DAY)
    fresh = _journey(definition, idle=6 * DAY)
    sent = send(KEEPER, age=DAY)  # a sent journey is the submission's business
    Journey.objects.filter(pk=sent.journey_id).update(updated_at=timezone.now() - 30 * DAY)

    dry = retention.plan()
    assert dry.journeys == {KEEPER: 1} and Journey.objects.filter(pk=idle.pk).exists()

    report = retention.run()

    assert report.journeys == {KEEPER: 1}
    assert not Journey.objects.filter(pk=idle.pk).exists()
    assert Journey.objects.filter(pk=fresh.pk).exists()
    assert Journey.objects.filter(pk=sent.journey_id).exists()
    (entry,) = AuditEvent.objects.filter(action="retention.journeys_erased")
    assert entry.data == {
        "service": KEEPER,
        "reason": "abandoned",
        "idle_days": 7,
        "before": entry.data["before"],
        "journeys": 1,
        "by": "porth retention",
    }
    assert idle.pk not in json.dumps(entry.data)
    assert "Abandoned journeys (idle since before" in retention.describe(report)


def test_abandoned_assisted_journeys_go_too(services, settings):
    from porth.casework.tests.helpers import organisation, staff

    settings.PORTH_JOURNEY_IDLE_DAYS = 7
    helper = staff((organisation("test-council"), "caseworker"))
    journey = _journey(services[SLUG], idle=8 * DAY, channel="phone", assisted_by=helper)

    retention.run()

    assert not Journey.objects.filter(pk=journey.pk).exists()


def test_abandoned_journeys_go_in_batches(services, settings):
    settings.PORTH_JOURNEY_IDLE_DAYS = 7
    journeys = [_journey(services[SLUG], idle=8 * DAY) for _ in range(5)]

    report = retention.run(batch_size=2)

    assert report.journeys == {SLUG: 5}
    assert not Journey.objects.filter(pk__in=[j.pk for j in journeys]).exists()
    entries = AuditEvent.objects.filter(action="retention.journeys_erased")
    assert sorted(entry.data["journeys"] for entry in entries) == [1, 2, 2]


# --- The daily task ----------------------------------------------------------------------


def test_the_daily_task_is_registered_and_erases(send):
    old = send()

    scheduled = registered()["retention.erase"]
    assert scheduled.every == timedelta(days=1)
    result = scheduled.task.enqueue()  # tests run tasks at once

    assert _erased(old)
    assert result.return_value["submissions"] == 1
    entry = AuditEvent.objects.filter(action="retention.erased").first()
    assert entry is not None and entry.data["by"] == "the daily retention task"


def test_an_erased_notification_cannot_be_read_back(send):
    old = send()
    notification = Case.objects.get(submission=old).notifications.get()
    assert decrypt(notification.content, notification.key_id, context="notification")

    retention.run()

    notification.refresh_from_db()
    assert bytes(notification.content) == b"" and notification.key_id == ""
    assert CaseEvent.objects.filter(case__submission=old).exclude(detail=b"").count() == 0
