"""What "Your applications" shows, read for one signed-in citizen: their submissions with
the status of each case, their journeys in progress, and one application whole (history,
messages, answers). Only ever the citizen's own: every query is filtered by them.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import get_language

from porth.casework.models import Case, CaseEvent, event_context
from porth.notifications import service as notifications
from porth.services import service as services
from porth.services.service import engine, questions
from porth.signin.models import CitizenAccount
from porth.submissions import service as submissions
from porth.submissions.models import Journey, Submission
from porth.utils.crypto import decrypt

from .statuses import EVENTS, CitizenStatus, citizen_status


def service_name(slug: str, language: str) -> str:
    """The service's name in the page's language; its slug, readable, if it is no longer
    offered (the stored definition would cost a query per application)."""
    definition = services.get(slug)
    if definition is not None:
        return definition.name.get(language)
    return slug.replace("-", " ").capitalize()


@dataclass(frozen=True)
class Sent:
    reference: str
    service_name: str
    sent_at: datetime
    status: CitizenStatus


def sent(citizen: CitizenAccount) -> list[Sent]:
    """The citizen's applications, newest first, each with its case's status. One query."""
    language = get_language()
    rows = (
        Submission.objects.filter(citizen=citizen)
        .select_related("case")
        .only("reference", "service", "submitted_at", "case__status")
        .order_by("-submitted_at", "-pk")
    )
    found = []
    for row in rows:
        case = _case(row)
        found.append(
            Sent(
                reference=row.reference,
                service_name=service_name(row.service, language),
                sent_at=row.submitted_at,
                status=citizen_status(case.status if case else None),
            )
        )
    return found


def _case(submission: Submission) -> Case | None:
    try:
        return submission.case  # selected with it: no query
    except Case.DoesNotExist:
        return None


@dataclass(frozen=True)
class InProgress:
    handle: str  # names the journey in the "Continue" form; its id is the key to it
    service_name: str
    saved_at: datetime


def handle(journey_id: str) -> str:
    """A name for a journey that can be shown and posted without giving its id away (the id
    alone opens a journey, as the session holds it): a keyed hash of it."""
    return salted_hmac("porth.applications.journey", journey_id, algorithm="sha256").hexdigest()[
        :32
    ]


def in_progress(citizen: CitizenAccount) -> list[InProgress]:
    """The journeys the citizen started signed in and has not sent. One query."""
    language = get_language()
    return [
        InProgress(handle(j.pk), service_name(j.service, language), j.updated_at)
        for j in submissions.journeys_in_progress(citizen.pk)
        if services.get(j.service) is not None  # a service withdrawn cannot be continued
    ]


def find_journey(citizen: CitizenAccount, named: str) -> Journey | None:
    """The citizen's own journey in progress with this handle, or None."""
    for journey in submissions.journeys_in_progress(citizen.pk):
        if constant_time_compare(handle(journey.pk), named):
            return journey
    return None


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    title: str
    text: str  # what was asked, the reason, the message, the reply; "" if none or erased


@dataclass(frozen=True)
class Answer:
    label: str
    shown: str


@dataclass(frozen=True)
class Application:
    submission: Submission
    service_name: str
    status: CitizenStatus
    history: list[HistoryEntry]
    messages: list[notifications.SentMessage]
    answers: list[Answer]


def application(citizen: CitizenAccount, reference: str) -> Application | None:
    """One of the citizen's applications, whole; None if it is not theirs (or not at all)."""
    submission = (
        Submission.objects.filter(citizen=citizen, reference=reference)
        .select_related("case", "definition")
        .defer("definition__canonical")
        .first()
    )
    if submission is None:
        return None
    language = get_language()
    case = _case(submission)
    history = [HistoryEntry(submission.submitted_at, str(EVENTS["opened"]), "")]
    messages: list[notifications.SentMessage] = []
    if case is not None:
        history = _history(case)
        messages = notifications.sent_about_case(case.pk)
    return Application(
        submission=submission,
        service_name=service_name(submission.service, language),
        status=citizen_status(case.status if case else None),
        history=history,
        messages=messages,
        answers=_answers(submission, language),
    )


def _history(case: Case) -> list[HistoryEntry]:
    """The case's timeline as the citizen may see it (statuses.EVENTS), oldest first."""
    entries = []
    for event in CaseEvent.objects.filter(case=case, kind__in=EVENTS).order_by("at", "id"):
        detail: dict[str, Any] = {}
        if event.detail and event.key_id:  # emptied under retention
            detail = decrypt(event.detail, event.key_id, context=event_context(case))
        entries.append(HistoryEntry(event.at, str(EVENTS[event.kind]), str(detail.get("text", ""))))
    return entries


def _answers(submission: Submission, language: str) -> list[Answer]:
    """The answers as the check-your-answers page showed them, against the definition they
    were given for; none once erased (`submission.erased_at`)."""
    answers = submissions.read_answers(submission)
    if not answers:
        return []
    row = submission.definition
    definition = services.stored_definition(row.slug, row.version, row.pk)
    state = engine.State(answers, frozenset(page.id for page in definition.pages))
    shown = []
    for summary in engine.summary(definition, state, submission.submitted_at.date()):
        if summary.question.id not in answers:
            continue
        label = (summary.question.summary_label or summary.question.label).get(language)
        value = (
            questions.get(summary.question.type).display(summary.question, summary.value, language)
            if summary.value is not None
            else ""
        )
        shown.append(Answer(label, value))
    return shown
