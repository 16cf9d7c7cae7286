"""What applicants are told: a message written with the submission or the case's change,
in their language, queued for a worker after the commit; never a lost submission."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from porth.casework.models import CaseEvent
from porth.casework.signals import applicant_event
from porth.notifications import content
from porth.notifications.models import Notification, Status
from porth.submissions.models import Submission
from porth.submissions.signals import saved_for_later
from porth.utils.crypto import decrypt

from .fakes import Provider
from .helpers import Templates, case_of, definition, submit

pytestmark = pytest.mark.django_db


def read(row: Notification) -> content.Content:
    found = content.read(row)
    assert found is not None
    return found


def timeline(case: Any) -> list[tuple[str, str]]:
    found = []
    for event in CaseEvent.objects.filter(case=case):
        detail = (
            decrypt(event.detail, event.key_id, context=f"case:{case.reference}:event")
            if event.detail
            else {}
        )
        found.append((event.kind, detail.get("text", "")))
    return found


def test_a_submission_writes_its_confirmation_on_the_case_and_sends_it_after_commit(
    templates: Templates, provider: Provider, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submission = submit({"email": "jo@example.com"})
        assert provider.received == []  # nothing is sent inside the citizen's transaction

    row = Notification.objects.get()
    assert callbacks
    assert row.case == case_of(submission)
    assert (row.kind, row.event, row.service, row.language) == (
        "email",
        "submitted",
        "tell-us",
        "en",
    )
    assert row.status == Status.SENDING  # the provider took it; a receipt may follow
    [message] = provider.received
    case = case_of(submission)
    assert message.to == "jo@example.com"
    assert message.reference == row.reference
    assert message.subject == f"Application received: {submission.reference}"
    assert message.body == (
        f"Dear Jo Bloggs, your reference is {submission.reference}. "
        f"We will decide by {timezone.localdate(case.due_at):%-d %B %Y}."
    )
    assert row.template == "confirmation"
    assert templates.calls[0]["case"] == {
        "reference": submission.reference,
        "status": "new",
        "queue": "applications",
        "submitted_on": timezone.localdate().isoformat(),
        "due_on": timezone.localdate(case_of(submission).due_at).isoformat(),
    }


def test_the_address_and_text_are_encrypted_at_rest(
    templates: Templates, provider: Provider
) -> None:
    submit({"email": "jo@example.com"})

    row = Notification.objects.get()
    assert b"jo@example.com" not in bytes(row.content)
    assert read(row)["to"] == "jo@example.com"


def test_a_welsh_applicant_is_written_to_in_welsh(templates: Templates, provider: Provider) -> None:
    submit({"phone": "+447700900123"}, language="cy")

    row = Notification.objects.get()
    assert (row.kind, row.language) == ("sms", "cy")
    assert templates.calls[0]["extra"]["service_name"] == "Dywedwch wrthym"
    assert read(row)["body"].startswith("Mae eich cais gennym")


def test_an_applicant_who_gave_no_address_gets_no_message(
    templates: Templates, provider: Provider
) -> None:
    submit({})

    assert Submission.objects.count() == 1
    assert not Notification.objects.exists()


def test_a_service_with_no_template_for_the_event_sends_nothing(
    templates: Templates, provider: Provider
) -> None:
    case = case_of(submit({"email": "jo@example.com"}))

    applicant_event.send(sender=type(case), case=case, event="approved", text=None, actor=None)

    assert list(Notification.objects.values_list("event", flat=True)) == ["submitted"]


def test_a_missing_value_fails_the_message_and_says_so_on_the_case(
    templates: Templates, provider: Provider, django_capture_on_commit_callbacks: Any
) -> None:
    templates.missing = "first_name"

    with django_capture_on_commit_callbacks(execute=True):
        submission = submit({"email": "jo@example.com"})

    assert Submission.objects.filter(pk=submission.pk).exists()
    row = Notification.objects.get()
    assert row.status == Status.PERMANENT_FAILURE
    assert row.status_detail == (
        "The template ‘submitted’ needs ((first_name)), which this application does not have"
    )
    assert provider.calls == 0
    kind, text = timeline(case_of(submission))[-1]
    assert kind == "notification_failed"
    assert "Email not sent (confirmation of the application)" in text
    assert "((first_name))" in text


def test_a_fault_in_the_templates_never_loses_the_submission(
    templates: Templates, provider: Provider
) -> None:
    templates.error = RuntimeError("a bug")

    submission = submit({"email": "jo@example.com"})

    assert Submission.objects.filter(pk=submission.pk).exists()
    row = Notification.objects.get()
    assert row.status == Status.TECHNICAL_FAILURE
    assert "an error in Porth (RuntimeError)" in row.status_detail
    assert timeline(case_of(submission))[-1][0] == "notification_failed"


def test_a_fault_before_the_message_is_written_never_loses_the_submission(
    templates: Templates, provider: Provider, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(content, "seal", broken)

    submission = submit({"email": "jo@example.com"})

    assert Submission.objects.filter(pk=submission.pk).exists()
    assert not Notification.objects.exists()


def test_nothing_is_written_or_sent_when_the_submission_rolls_back(
    templates: Templates, provider: Provider, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submit({"email": "jo@example.com"})
        raise RuntimeError("the request failed after submitting")

    assert not Notification.objects.exists()
    assert provider.received == []


def test_a_request_for_information_carries_the_words_link_and_date_in_the_applicants_language(
    templates: Templates, provider: Provider
) -> None:
    submission = submit({"email": "jo@example.com"}, language="cy")
    case = case_of(submission)
    Notification.objects.all().delete()

    with transaction.atomic():
        applicant_event.send(
            sender=type(case),
            case=case,
            event="information_requested",
            text="Anfonwch lun o'ch bil",
            link="https://porth.example/reply/abc",
            reply_by=datetime(2027, 7, 5, 12, tzinfo=UTC),
            actor=None,
        )

    row = Notification.objects.get()
    assert (row.event, row.case, row.language) == ("information_requested", case, "cy")
    assert row.template == "information_requested"  # Porth's own
    extra = templates.calls[-1]["extra"]
    assert extra["message"] == "Anfonwch lun o'ch bil"
    assert extra["reply_link"] == "https://porth.example/reply/abc"
    assert extra["reply_by"] == date(2027, 7, 5)
    assert extra["reference"] == case.reference
    text = read(row)
    assert text["to"] == "jo@example.com"
    assert "Anfonwch lun o'ch bil" in text["body"]
    assert "5 Gorffennaf 2027" in text["body"]


@pytest.mark.parametrize("event", ["rejected", "message"])
def test_decisions_and_messages_reach_the_applicant(
    event: str, templates: Templates, provider: Provider, django_capture_on_commit_callbacks: Any
) -> None:
    case = case_of(submit({"email": "jo@example.com"}))

    with django_capture_on_commit_callbacks(execute=True):
        applicant_event.send(sender=type(case), case=case, event=event, text="Words", actor=None)

    row = Notification.objects.get(event=event)
    assert row.case == case
    assert templates.calls[-1]["extra"]["message"] == "Words"
    assert provider.references()[-1] == row.reference
    assert "Words" in provider.received[-1].body


def test_saving_for_later_sends_the_link_to_the_address_given(
    templates: Templates, provider: Provider, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        saved_for_later.send(
            sender=object,
            journey=None,
            definition=definition(),
            kind="email",
            to="sam@example.com",
            link="https://porth.example/resume/xyz",
            return_by=datetime(2027, 1, 5, 9, tzinfo=UTC),
            language="en",
        )

    row = Notification.objects.get()
    assert (row.event, row.case, row.service) == ("saved_for_later", None, "tell-us")
    assert templates.calls[-1]["case"] == {}
    extra = templates.calls[-1]["extra"]
    assert extra["resume_link"] == "https://porth.example/resume/xyz"
    assert extra["return_by"] == date(2027, 1, 5)
    [message] = provider.received
    assert message.to == "sam@example.com"
    assert "https://porth.example/resume/xyz" in message.body
    assert "5 January 2027" in message.body
