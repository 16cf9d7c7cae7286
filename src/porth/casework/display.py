"""What a case shows: the citizen's answers as they gave them, names, timeline entries.

Answers are read against the definition version the submission was made against (stored
with it), so a case looks the same after the service changes.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from porth.services import service as services
from porth.services.service import Definition, engine, questions
from porth.submissions.models import Submission
from porth.submissions.service import read_answers
from porth.utils.crypto import decrypt

from .actions import event_context
from .models import Case, CaseEvent
from .transitions import STATES

LANGUAGE = "en"  # staff pages are English only

TITLES = {
    "opened": "Application received",
    "claim": "Assigned",
    "assign": "Assigned",
    "note": "Note added",
    "message": "Message to the applicant",
    "request_information": "More information requested",
    "information_received": "Information received from the applicant",
    "resume": "Resumed",
    "approve": "Approved",
    "reject": "Rejected",
    "close": "Closed",
    "notification_failed": "Message to the applicant failed",
}
# Events Porth itself records (no member of staff, nor the applicant, did them).
BY_PORTH = {"notification_failed"}


def definition_of(submission: Submission) -> Definition:
    """The definition a submission was made against, parsed once per (slug, version)."""
    row = submission.definition
    return services.stored_definition(row.slug, row.version, row.pk)


def answer_rows(submission: Submission, answers: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, answer) in route order, as on the citizen's check-your-answers page."""
    definition = definition_of(submission)
    state = engine.State(answers, frozenset(page.id for page in definition.pages))
    today = submission.submitted_at.date()
    rows = []
    for row in engine.summary(definition, state, today):
        if row.question.id not in answers:
            continue
        label = (row.question.summary_label or row.question.label).get(LANGUAGE)
        shown = (
            questions.get(row.question.type).display(row.question, row.value, LANGUAGE)
            if row.value is not None
            else ""
        )
        rows.append((label, shown))
    return rows


def applicant_name(submission: Submission, answers: dict[str, Any]) -> str:
    """The answer the definition names as the applicant's name, if any."""
    for step in definition_of(submission).on_submit:
        if step.case.name and isinstance(answers.get(step.case.name), str):
            return str(answers[step.case.name])
    return ""


def names(cases: list[Case]) -> dict[int, str]:
    """Applicants' names for one page of cases: only these submissions are decrypted."""
    return {
        case.pk: applicant_name(case.submission, read_answers(case.submission)) for case in cases
    }


def service_name(slug: str) -> str:
    definition = services.get(slug)
    return definition.name.get(LANGUAGE) if definition else slug


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    title: str
    actor: str
    at: datetime
    text: str


def _who(event: CaseEvent) -> str:
    if event.actor is not None:
        return str(event.actor)
    return "Porth" if event.kind in BY_PORTH else "The applicant"


def timeline(case: Case) -> list[TimelineEntry]:
    entries = []
    for event in case.events.select_related("actor"):
        detail: dict[str, Any] = {}
        if event.detail:
            detail = decrypt(event.detail, event.key_id, context=event_context(case))
        title = TITLES.get(event.kind, event.kind.replace("_", " ").capitalize())
        if detail.get("to"):
            title = f"Assigned to {detail['to']}"
        elif event.kind == "information_received" and detail.get("status"):
            # The reply came after the case had moved on: say so, as it changed nothing.
            state = STATES.get(detail["status"], str(detail["status"]))
            title = f"Reply from the applicant, received while the case was {state}"
        elif event.kind == "claim" and event.actor is not None:
            title = f"Assigned to {event.actor}"
        entries.append(
            TimelineEntry(
                kind=event.kind,
                title=title,
                actor=_who(event),
                at=event.at,
                text=str(detail.get("text", "")),
            )
        )
    return entries


def notes(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """The notes with their text: an erased note (retention) stays on the timeline only."""
    return [entry for entry in entries if entry.kind == "note" and entry.text]


def latest_reply(entries: list[TimelineEntry]) -> TimelineEntry | None:
    """The applicant's last reply to a request for information, if any (and not erased)."""
    return next((e for e in reversed(entries) if e.kind == "information_received" and e.text), None)
