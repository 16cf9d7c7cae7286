"""What applicants are told, and when: receivers of the signals of submissions and casework.

Each writes the notification row inside the sender's transaction (so the message exists if
and only if what it tells of does), with its text composed from the definition's templates
in the applicant's language, and queues its delivery for after the commit. Nothing is sent
here: the citizen's request never waits for a provider.

A receiver never raises into its caller, because a submission must never be lost to a
message: no address to write to, or no template for the event, means no message; a fault in
the template (a missing value) becomes a row that failed, with the reason on the case's
timeline. A database error is not caught: the sender's transaction could not commit anyway.
"""

import logging
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.dispatch import receiver
from django.utils import timezone

from porth.casework.models import Case
from porth.casework.signals import applicant_event
from porth.fastpath import sql
from porth.services import service as services
from porth.services.service import Definition
from porth.submissions.service import read_answers
from porth.submissions.signals import saved_for_later, submitted

from . import content, delivery
from .channels import Kind
from .models import Notification, Status

logger = logging.getLogger(__name__)


def _date(value: datetime | None) -> date | str:
    """A moment as the date it falls on where the service is (compose writes it in words,
    in the applicant's language)."""
    return timezone.localdate(value) if value else ""


def _template(definition: Definition, event: str) -> str:
    """The name of the template sent for the event, for the record: the definition's, or
    Porth's own (named after the event)."""
    for rule in definition.notify:
        if rule.when == event:
            return rule.template
    return event


def _case_fields(case: Case | None, queue: str) -> dict[str, str]:
    """What a template's placeholders may read of the case (dates as YYYY-MM-DD)."""
    if case is None:
        return {}
    return {
        "reference": case.reference,
        "status": case.status,
        "queue": queue,
        "submitted_on": timezone.localdate(case.created_at).isoformat(),
        "due_on": timezone.localdate(case.due_at).isoformat() if case.due_at else "",
    }


def notify(
    *,
    definition: Definition,
    event: str,
    language: str,
    answers: dict[str, Any],
    case: Case | None,
    queue: str = "",
    extra: dict[str, str | date],
    address: tuple[Kind, str] | None = None,
) -> Notification | None:
    """Write the notification for `event` (and queue it after the commit), to `address`
    (kind, to) or the applicant's contact in the answers; None if there is nothing to send."""
    try:
        found = address or services.contact(definition, answers)
    except Exception:  # a fault in Porth: nobody to tell but the operator
        logger.exception("Could not read the contact for %s (%s)", definition.slug, event)
        return None
    if found is None:
        return None  # the applicant gave no address (or the service asks for none)
    kind, to = found
    status, detail, subject, body = Status.CREATED, "", "", ""
    try:
        rendered = services.compose(
            definition,
            event,
            kind,
            language,
            answers=answers,
            case=_case_fields(case, queue),
            extra=extra,
        )
        if rendered is None:
            return None  # no template for this event and kind
        subject, body = rendered.subject, rendered.body
    except services.MissingValue as missing:
        status, detail = Status.PERMANENT_FAILURE, missing.message
    except Exception as error:
        logger.exception("Could not write the %s message of %s", event, definition.slug)
        status = Status.TECHNICAL_FAILURE
        detail = f"The message could not be written: an error in Porth ({type(error).__name__})."
    row = Notification(
        kind=kind,
        channel=settings.PORTH_NOTIFICATION_CHANNEL,
        event=event,
        template=_template(definition, event),
        service=definition.slug,
        language=language,
        case=case,
        status=status,
        status_detail=detail[:300],
        next_attempt_at=delivery.now() if status == Status.CREATED else None,
    )
    row.content, row.key_id = content.seal(
        row.reference, content.Content(to=to, subject=subject, body=body)
    )
    sql.insert(row)  # with the statement built once: every submission may write one
    if status == Status.CREATED:
        delivery.schedule(row.pk)
    else:
        delivery.on_timeline(row, row.status_detail)
    return row


def _safely(event: str, write: Any) -> None:
    """Run `write()`; log a fault instead of raising it into the sender."""
    try:
        write()
    except DatabaseError:
        raise  # the sender's transaction is broken: let it fail whole
    except Exception:
        logger.exception("Could not write the %s message", event)


@receiver(submitted, dispatch_uid="porth.notifications.submitted")
def on_submitted(
    sender: Any,
    submission: Any,
    definition: Definition,
    answers: dict[str, Any],
    actor: Any = None,
    **kwargs: Any,
) -> None:
    """The confirmation, with the reference. Casework's receiver (an app listed before this
    one, so connected first) has opened the case already."""

    def write() -> None:
        case = getattr(submission, "case", None)  # set when casework opened it; no query
        notify(
            definition=definition,
            event="submitted",
            language=submission.language,
            answers=answers,
            case=case if isinstance(case, Case) else None,
            # The queue casework opened the case in, named by the definition (no query).
            queue=next((step.case.queue for step in definition.on_submit), ""),
            extra={
                "reference": submission.reference,
                "service_name": definition.name.get(submission.language),
            },
        )

    _safely("submitted", write)


@receiver(saved_for_later, dispatch_uid="porth.notifications.saved_for_later")
def on_saved_for_later(
    sender: Any,
    journey: Any,
    definition: Definition,
    kind: str,
    to: str,
    link: str,
    return_by: datetime,
    language: str,
    **kwargs: Any,
) -> None:
    """The link that resumes a saved journey, to the address the citizen gave for it."""

    def write() -> None:
        notify(
            definition=definition,
            event="saved_for_later",
            language=language,
            answers={},
            case=None,
            extra={
                "service_name": definition.name.get(language),
                "resume_link": link,
                "return_by": _date(return_by),
            },
            address=("sms" if kind == "sms" else "email", to),
        )

    _safely("saved_for_later", write)


@receiver(applicant_event, dispatch_uid="porth.notifications.applicant_event")
def on_applicant_event(
    sender: Any,
    case: Case,
    event: str,
    text: str | None = None,
    link: str | None = None,
    reply_by: datetime | None = None,
    actor: Any = None,
    **kwargs: Any,
) -> None:
    """A request for more information, a decision, or a caseworker's message, in the
    language the applicant used, to the contact in their answers."""

    def write() -> None:
        submission = case.submission
        row = submission.definition
        definition = services.stored_definition(row.slug, row.version, row.pk)
        language = submission.language
        extra: dict[str, str | date] = {
            "reference": case.reference,
            "service_name": definition.name.get(language),
            "message": text or "",
        }
        if event == "information_requested":
            extra.update(reply_link=link or "", reply_by=_date(reply_by))
        notify(
            definition=definition,
            event=event,
            language=language,
            answers=read_answers(submission),
            case=case,
            queue=case.queue.slug,
            extra=extra,
        )

    _safely(event, write)
