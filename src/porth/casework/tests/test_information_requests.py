"""Asking the applicant for more information, and their reply through a single-use link;
the other changes the applicant hears about (approve, reject, a caseworker's message)."""

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.checks import run_checks
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from porth.audit.models import AuditEvent
from porth.casework import actions, display, replies
from porth.casework.erasure import erase_cases
from porth.casework.models import Case, CaseEvent, InformationRequest, Status
from porth.casework.signals import applicant_event

from .helpers import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard() -> Iterator[list[dict[str, Any]]]:
    """What the applicant would hear about: every applicant_event, with whether it was sent
    inside a transaction."""
    events: list[dict[str, Any]] = []

    def receive(sender: Any, **kwargs: Any) -> None:
        kwargs.pop("signal")
        events.append(kwargs | {"atomic": transaction.get_connection().in_atomic_block})

    applicant_event.connect(receive, weak=False, dispatch_uid="test-heard")
    yield events
    applicant_event.disconnect(dispatch_uid="test-heard")


def ask(case: Case, worker: Any, text: str = "Send a photo of your award letter") -> Case:
    case.refresh_from_db()
    return actions.request_information(case, text, version=case.version, actor=worker)


def token_of(link: str) -> str:
    return link.rsplit("/", 1)[1]


def test_asking_sends_the_applicant_a_link_to_reply(org, worker, heard, settings):
    settings.PORTH_BASE_URL = "https://apply.example.gov.uk/"
    case = make_case(org, status=Status.IN_PROGRESS)

    case = ask(case, worker, "Send a photo of your award letter")

    assert case.status == Status.AWAITING_INFORMATION
    [event] = heard
    assert event["event"] == "information_requested" and event["case"] == case
    assert event["text"] == "Send a photo of your award letter" and event["actor"] == worker
    assert event["atomic"], "sent inside the change's transaction"
    token = token_of(event["link"])
    assert event["link"] == f"https://apply.example.gov.uk/reply/{token}"
    asking = InformationRequest.objects.get(case=case)
    assert asking.expires_at == event["reply_by"]
    assert replies.asked(asking) == "Send a photo of your award letter"
    # Only a hash of the token is kept, and what was asked is encrypted.
    assert asking.token_hash == replies.hash_token(token) and token not in asking.token_hash
    assert b"award letter" not in bytes(asking.text)


def test_the_link_works_until_the_end_of_the_last_day(org, worker, heard, settings):
    settings.PORTH_REPLY_DAYS = 10
    before = timezone.now()

    ask(make_case(org), worker)

    reply_by = timezone.localtime(heard[0]["reply_by"])
    assert reply_by.date() == timezone.localtime(before + timedelta(days=10)).date()
    assert (reply_by.hour, reply_by.minute) == (23, 59)


def test_a_refused_request_sends_nothing_and_makes_no_link(org, worker, heard):
    case = make_case(org, status=Status.APPROVED)

    with pytest.raises(actions.Refused):
        ask(case, worker)

    assert heard == [] and not InformationRequest.objects.exists()


def test_if_the_message_cannot_be_written_nothing_changes(org, worker):
    case = make_case(org)

    def fail(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("the notifications table is gone")

    applicant_event.connect(fail, weak=False, dispatch_uid="test-fail")
    try:
        with pytest.raises(RuntimeError):
            ask(case, worker)
    finally:
        applicant_event.disconnect(dispatch_uid="test-fail")

    case.refresh_from_db()
    assert case.status == Status.NEW and case.version == 1
    assert not InformationRequest.objects.exists()


def test_approve_and_reject_tell_the_applicant(org, worker, heard):
    approved = make_case(org, status=Status.IN_PROGRESS)
    rejected = make_case(org, status=Status.INFORMATION_RECEIVED)

    actions.approve(approved, version=1, actor=worker)
    actions.reject(rejected, "You do not live in the area", version=1, actor=worker)

    assert [(e["event"], e["case"], e["text"], e["link"]) for e in heard] == [
        ("approved", approved, None, None),
        ("rejected", rejected, "You do not live in the area", None),
    ]
    assert all(e["atomic"] and e["actor"] == worker for e in heard)


def test_writing_to_the_applicant_keeps_the_status_and_is_on_the_timeline(org, worker, heard):
    case = make_case(org, status=Status.AWAITING_INFORMATION)

    case = actions.write_to_applicant(
        case, "  We have your letter, thank you.  ", version=1, actor=worker
    )

    assert case.status == Status.AWAITING_INFORMATION and case.version == 2
    [event] = heard
    assert (event["event"], event["text"]) == ("message", "We have your letter, thank you.")
    entry = display.timeline(case)[-1]
    assert (entry.title, entry.text, entry.actor) == (
        "Message to the applicant",
        "We have your letter, thank you.",
        "Cai Worker",
    )
    audit = AuditEvent.objects.get(action="case.message")
    assert "letter" not in str(audit.data)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("   ", "Enter your message to the applicant"),
        ("x" * (actions.MAX_TEXT + 1), "must be 5000 characters or fewer"),
        ("Hello\x1b[2J", "must not include hidden characters"),
    ],
)
def test_a_message_must_be_readable(org, worker, heard, text, problem):
    case = make_case(org)

    with pytest.raises(actions.Refused) as refused:
        actions.write_to_applicant(case, text, version=1, actor=worker)

    assert problem in refused.value.message and heard == []


def test_nobody_is_written_to_about_a_closed_case(org, worker, heard):
    case = make_case(org, status=Status.CLOSED)

    with pytest.raises(actions.Refused) as refused:
        actions.write_to_applicant(case, "Hello", version=1, actor=worker)

    assert refused.value.message == "You cannot write to the applicant of a case that is closed"
    assert heard == []


# --- The reply ---------------------------------------------------------------------------------


def test_the_reply_moves_the_case_to_information_received(org, worker, heard):
    case = ask(make_case(org), worker)
    token = token_of(heard[0]["link"])

    replied = actions.reply(token, "Here it is:\nmy award letter.")

    assert replied.moved and replied.status == Status.AWAITING_INFORMATION
    case.refresh_from_db()
    assert case.status == Status.INFORMATION_RECEIVED and case.version == 3
    event = CaseEvent.objects.get(case=case, kind="information_received")
    assert event.actor is None and b"award" not in bytes(event.detail)
    entry = display.timeline(case)[-1]
    assert entry.title == "Information received from the applicant"
    assert (entry.text, entry.actor) == ("Here it is:\nmy award letter.", "The applicant")
    asking = InformationRequest.objects.get(case=case)
    assert asking.used_at is not None and asking.reply == event
    audit = AuditEvent.objects.get(action="case.information_received")
    assert audit.actor is None and audit.actor_label == "citizen"
    assert audit.data == {
        "reference": case.reference,
        "from": Status.AWAITING_INFORMATION,
        "to": Status.INFORMATION_RECEIVED,
    }


def test_a_link_is_used_once(org, worker, heard):
    case = ask(make_case(org), worker)
    token = token_of(heard[0]["link"])
    actions.reply(token, "First answer")

    again = actions.reply(token, "First answer")  # the same form posted twice: no error
    with pytest.raises(replies.LinkProblem) as problem:
        actions.reply(token, "A different answer")

    assert not again.moved
    assert (problem.value.problem, problem.value.reference) == ("used", case.reference)
    assert CaseEvent.objects.filter(kind="information_received").count() == 1
    case.refresh_from_db()
    assert case.version == 3


@pytest.mark.django_db(transaction=True)
def test_replies_sent_at_the_same_moment_keep_one(org, worker, heard):
    case = ask(make_case(org), worker)
    token = token_of(heard[0]["link"])
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def send(n: int) -> None:
        try:
            start.wait()
            for _attempt in range(200):
                try:
                    actions.reply(token, f"Reply number {n}")
                    outcomes.append("kept")
                    return
                except OperationalError as error:
                    # The in-memory SQLite test database locks whole tables and does not
                    # wait; PostgreSQL waits on the link's row lock instead.
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.005)
        except replies.LinkProblem as problem:
            outcomes.append(problem.problem)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["kept", "used", "used", "used"]
    assert CaseEvent.objects.filter(kind="information_received").count() == 1
    case.refresh_from_db()
    assert case.status == Status.INFORMATION_RECEIVED and case.version == 3


def test_an_expired_link_keeps_nothing(org, worker, heard):
    case = ask(make_case(org), worker)
    token = token_of(heard[0]["link"])
    InformationRequest.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(replies.LinkProblem) as problem:
        actions.reply(token, "Too late?")

    assert (problem.value.problem, problem.value.reference) == ("expired", case.reference)
    case.refresh_from_db()
    assert case.status == Status.AWAITING_INFORMATION
    assert not CaseEvent.objects.filter(kind="information_received").exists()


@pytest.mark.parametrize(
    "token",
    ["", "short", "A" * 43, "A" * 44, "../../etc/passwd", "A" * 42 + "=", "A" * 42 + "é"],
)
def test_a_made_up_or_altered_link_is_unknown(org, worker, heard, token):
    ask(make_case(org), worker)

    with pytest.raises(replies.LinkProblem) as problem:
        actions.reply(token, "Hello")

    assert (problem.value.problem, problem.value.reference) == ("unknown", "")


def test_an_altered_real_link_is_unknown(org, worker, heard):
    ask(make_case(org), worker)
    token = token_of(heard[0]["link"])
    altered = ("B" if token[0] != "B" else "C") + token[1:]

    with pytest.raises(replies.LinkProblem) as problem:
        actions.reply(altered, "Hello")

    assert problem.value.problem == "unknown"


@pytest.mark.parametrize(
    "status",
    [Status.IN_PROGRESS, Status.INFORMATION_RECEIVED, Status.APPROVED, Status.CLOSED],
)
def test_a_reply_after_the_case_moved_on_is_kept_and_changes_nothing_else(
    org, worker, heard, status
):
    case = ask(make_case(org), worker)
    token = token_of(heard[0]["link"])
    Case.objects.filter(pk=case.pk).update(status=status)

    replied = actions.reply(token, "Sorry for the delay")

    assert not replied.moved and replied.status == status
    case.refresh_from_db()
    assert case.status == status
    entry = display.timeline(case)[-1]
    assert entry.text == "Sorry for the delay"
    assert entry.title.startswith("Reply from the applicant, received while the case was")


def test_asking_again_gives_a_new_link_and_the_first_still_works(org, worker, heard):
    case = ask(make_case(org), worker, "First question")
    first = token_of(heard[0]["link"])
    actions.reply(first, "First answer")
    ask(case, worker, "Second question")
    second = token_of(heard[1]["link"])

    assert first != second
    actions.reply(second, "Second answer")
    case.refresh_from_db()
    assert case.status == Status.INFORMATION_RECEIVED
    assert [e.text for e in display.timeline(case) if e.kind == "information_received"] == [
        "First answer",
        "Second answer",
    ]


@pytest.mark.parametrize("text", ["", "x" * (actions.REPLY_CHARS + 1), "a\x00b", "a\x1bb"])
def test_the_reply_action_refuses_text_the_page_would_refuse(org, worker, heard, text):
    ask(make_case(org), worker)

    with pytest.raises(ValueError):
        actions.reply(token_of(heard[0]["link"]), text)

    assert InformationRequest.objects.get().used_at is None


def test_erasure_takes_what_was_asked_and_the_link_stops_working(org, worker, heard):
    case = ask(make_case(org), worker, "Send your bank statement")
    token = token_of(heard[0]["link"])

    erased = erase_cases([case.submission_id], at=timezone.now())

    assert erased["information requests"] == 1
    asking = InformationRequest.objects.get()
    assert bytes(asking.text) == b"" and asking.key_id == ""
    with pytest.raises(replies.LinkProblem) as problem:
        actions.reply(token, "Here it is")
    assert problem.value.problem == "expired"


def test_erasure_of_a_used_link_leaves_it_used(org, worker, heard):
    case = ask(make_case(org), worker)
    token = token_of(heard[0]["link"])
    actions.reply(token, "My reply")

    erase_cases([case.submission_id], at=timezone.now())

    asking = replies.lookup(token)
    assert asking is not None and not replies.sent_before(asking, "My reply")
    with pytest.raises(replies.LinkProblem) as problem:
        actions.reply(token, "My reply")
    assert problem.value.problem == "used"


def test_reply_days_must_be_positive(settings):
    settings.PORTH_REPLY_DAYS = 0

    assert "casework.E001" in {message.id for message in run_checks()}
