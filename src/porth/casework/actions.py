"""Every change to a case: atomic, audited in the same transaction, version-checked."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from porth import fastpath
from porth.accounts.models import Organisation, User
from porth.accounts.service import CASE_ROLES, ensure_organisation, members
from porth.audit.service import batch, record
from porth.fastpath import sql
from porth.services.service import CaseAction, Definition, durations, questions
from porth.utils.crypto import blind_index, encrypt
from porth.utils.text import has_control_characters

from . import replies
from .models import Case, CaseEvent, InformationRequest, Queue, event_context
from .signals import applicant_event, case_changed
from .transitions import next_status, refusal

MAX_TEXT = 5000
_UNCHANGED: Any = object()


def sla_due(sla: str | None, start: datetime) -> datetime | None:
    """When a case is due: the SLA (an ISO 8601 duration) after it was opened, counted on
    the calendar of the team's time zone (a month from 31 May is 30 June there, even when
    it is still 30 May in UTC), as a date rule counts from today."""
    if not sla:
        return None
    return durations.add(timezone.localtime(start), sla)


def organisation_for(definition: Definition) -> Organisation:
    return ensure_organisation(
        definition.organisation.id,
        definition.organisation.name.en,
        definition.organisation.name.cy or "",
    )


def queue_for(organisation: Organisation, action: CaseAction) -> Queue:
    name = (
        action.queue_name.en if action.queue_name else action.queue.replace("-", " ").capitalize()
    )
    queue, _ = Queue.objects.get_or_create(
        organisation=organisation, slug=action.queue, defaults={"name": name}
    )
    return queue


@cache
def _queue_sql() -> str:
    quote = sql.quote
    queue, org = sql.table(Queue), sql.table(Organisation)
    return (
        f"SELECT q.{quote('id')}, q.{quote('organisation_id')} FROM {queue} q "
        f"JOIN {org} o ON o.{quote('id')} = q.{quote('organisation_id')} "
        f"WHERE o.{quote('slug')} = %s AND q.{quote('slug')} = %s"
    )


def _queue_ids(organisation_slug: str, queue_slug: str) -> tuple[int, int] | None:
    """The queue's id and its organisation's, in one query: every submission asks, so with the
    fast path it is written once (porth.fastpath.sql)."""
    if fastpath.on("sql"):
        row = sql.one(_queue_sql(), [organisation_slug, queue_slug])
    else:
        row = (
            Queue.objects.filter(organisation__slug=organisation_slug, slug=queue_slug)
            .values_list("id", "organisation_id")
            .first()
        )
    return (int(row[0]), int(row[1])) if row else None


def open_case(
    submission: Any,
    definition: Definition,
    action: CaseAction,
    answers: dict[str, Any],
    *,
    actor: Any = None,
) -> Case:
    with transaction.atomic(savepoint=False):  # part of the submission's transaction
        found = _queue_ids(definition.organisation.id, action.queue)
        if found is None:  # a service's first case
            queue = queue_for(organisation_for(definition), action)
            found = (queue.pk, queue.organisation_id)
        queue_id, organisation_id = found
        name = answers.get(action.name) if action.name else None
        name_index, name_index_key = blind_index(name if isinstance(name, str) else "")
        now = timezone.now()
        case = Case(
            submission=submission,
            reference=submission.reference,
            organisation_id=organisation_id,
            queue_id=queue_id,
            service=definition.slug,
            channel=submission.channel,
            name_index=name_index,
            name_index_key=name_index_key,
            due_at=sla_due(action.sla, now),
        )
        sql.insert(case)  # with the statement built once: a case is opened on every submission
        sql.insert(CaseEvent(case=case, kind="opened", actor=actor))
        record(
            "case.opened",
            actor=actor,
            organisation=Organisation(pk=organisation_id),
            obj=case,
            data={"reference": case.reference, "channel": case.channel},
        )
        case_changed.send(
            sender=Case,
            case=case,
            action="opened",
            from_status="",
            to_status=case.status,
            actor=actor,
            queue=action.queue,
        )
    return case


# --- Working a case ---------------------------------------------------------------------------


class Refused(Exception):
    """The action cannot be done on this case; the message says why, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Conflict(Refused):
    """The case changed after the page was loaded: the posted version is stale."""

    def __init__(self) -> None:
        super().__init__(
            "Someone else changed this case while you were looking at it. "
            "Check the changes below and try again."
        )


def _change(
    case: Case,
    action: str,
    *,
    version: int,
    actor: Any,
    request: HttpRequest | None,
    detail: dict[str, Any] | None = None,
    assigned_to: Any = _UNCHANGED,
    audit: dict[str, Any] | None = None,
) -> Case:
    """Apply `action` to `case` if its status allows and nobody changed it since `version`."""
    with transaction.atomic():
        current = (
            Case.objects.filter(pk=case.pk)
            .select_related("queue")  # its slug, for case_changed: joined, not queried again
            .only("status", "version", "queue__slug")
            .first()
        )
        if current is None:
            raise Refused("This case no longer exists")
        if current.version != version:
            raise Conflict
        status = next_status(action, current.status)
        if status is None:
            raise Refused(refusal(action, current.status))
        fields: dict[str, Any] = {"version": F("version") + 1, "updated_at": timezone.now()}
        if status != current.status:
            fields["status"] = status
        if assigned_to is not _UNCHANGED:
            fields["assigned_to"] = assigned_to
        # The version in the filter makes the check and the write one step: if another
        # change slipped in since the read above, nothing is updated.
        if not Case.objects.filter(pk=case.pk, version=version).update(**fields):
            raise Conflict
        blob, key_id = encrypt(detail, context=event_context(case)) if detail else (b"", "")
        CaseEvent.objects.create(case=case, kind=action, actor=actor, detail=blob, key_id=key_id)
        record(
            f"case.{action}",
            actor=actor,
            request=request,
            organisation=case.organisation,
            obj=case,
            data={"reference": case.reference, "from": current.status, "to": status}
            | (audit or {}),
        )
        case_changed.send(
            sender=Case,
            case=case,
            action=action,
            from_status=current.status,
            to_status=status,
            actor=actor,
            queue=current.queue.slug,
        )
    case.refresh_from_db()
    return case


def _text(value: str, what: str) -> str:
    text = value.strip()
    if not text:
        raise Refused(f"Enter {what}")
    if len(text) > MAX_TEXT:
        raise Refused(f"{what[0].upper()}{what[1:]} must be {MAX_TEXT} characters or fewer")
    if has_control_characters(text, multiline=True):
        raise Refused(f"{what[0].upper()}{what[1:]} must not include hidden characters")
    return text


def caseworkers(organisation: Organisation | int) -> QuerySet[User]:
    """Staff who may be given a case of this organisation."""
    return members(organisation, CASE_ROLES)


def claim(case: Case, *, version: int, actor: Any, request: HttpRequest | None = None) -> Case:
    return _change(case, "claim", version=version, actor=actor, request=request, assigned_to=actor)


def assign(
    case: Case,
    assignee_id: int | None,
    *,
    version: int,
    actor: Any,
    request: HttpRequest | None = None,
) -> Case:
    assignee = caseworkers(case.organisation_id).filter(pk=assignee_id or 0).first()
    if assignee is None:
        raise Refused("Select a member of staff in this team")
    return _change(
        case,
        "assign",
        version=version,
        actor=actor,
        request=request,
        assigned_to=assignee,
        detail={"to": str(assignee)},
        audit={"assigned_to": assignee.pk},
    )


def _tell_applicant(
    case: Case,
    event: str,
    *,
    actor: Any,
    text: str | None = None,
    link: str | None = None,
    reply_by: datetime | None = None,
) -> None:
    """Inside the change's transaction: the message is written with the change or not at
    all (porth.casework.signals documents the arguments)."""
    applicant_event.send(
        sender=Case, case=case, event=event, text=text, link=link, reply_by=reply_by, actor=actor
    )


def request_information(
    case: Case, message: str, *, version: int, actor: Any, request: HttpRequest | None = None
) -> Case:
    """Ask the applicant for more: the case waits for them, and they are sent a single-use
    link to a page where they reply (porth.casework.replies)."""
    text = _text(message, "what you need from the applicant")
    expires_at = replies.reply_by(timezone.now())
    with transaction.atomic():
        case = _change(
            case, "request_information", version=version, actor=actor, request=request,
            detail={"text": text}, audit={"reply_by": expires_at.isoformat()},
        )  # fmt: skip
        link = replies.new_link(case, text, expires_at=expires_at)
        _tell_applicant(
            case, "information_requested", actor=actor, text=text, link=link.url,
            reply_by=expires_at,
        )  # fmt: skip
    return case


def resume(case: Case, *, version: int, actor: Any, request: HttpRequest | None = None) -> Case:
    return _change(case, "resume", version=version, actor=actor, request=request)


def approve(case: Case, *, version: int, actor: Any, request: HttpRequest | None = None) -> Case:
    with transaction.atomic():
        case = _change(case, "approve", version=version, actor=actor, request=request)
        _tell_applicant(case, "approved", actor=actor)
    return case


def reject(
    case: Case, reason: str, *, version: int, actor: Any, request: HttpRequest | None = None
) -> Case:
    text = _text(reason, "the reason for rejecting the application")
    with transaction.atomic():
        case = _change(
            case, "reject", version=version, actor=actor, request=request, detail={"text": text}
        )
        _tell_applicant(case, "rejected", actor=actor, text=text)
    return case


def write_to_applicant(
    case: Case, message: str, *, version: int, actor: Any, request: HttpRequest | None = None
) -> Case:
    """A message from the caseworker to the applicant, kept on the timeline; the status stays."""
    text = _text(message, "your message to the applicant")
    with transaction.atomic():
        case = _change(
            case, "message", version=version, actor=actor, request=request, detail={"text": text}
        )
        _tell_applicant(case, "message", actor=actor, text=text)
    return case


def close(case: Case, *, version: int, actor: Any, request: HttpRequest | None = None) -> Case:
    return _change(case, "close", version=version, actor=actor, request=request)


def add_note(
    case: Case, text: str, *, version: int, actor: Any, request: HttpRequest | None = None
) -> Case:
    note = _text(text, "a note")
    return _change(
        case, "note", version=version, actor=actor, request=request, detail={"text": note}
    )


# --- The applicant's reply -------------------------------------------------------------------

# As long as a citizen's answer in a multi-line box may be (the textarea question type).
REPLY_CHARS = questions.get("textarea").max_chars


@dataclass(frozen=True)
class Replied:
    case: Case
    moved: bool  # whether the reply moved the case to information received
    status: str  # the case's status when the reply came


def reply(token: str, text: str, *, request: HttpRequest | None = None) -> Replied:
    """The applicant answers a request for information through their link.

    The reply is always kept (encrypted, on the case's timeline): the applicant wrote it, and
    it may matter whatever has happened since. A case waiting for it moves to information
    received; a case that moved on meanwhile (resumed, asked again, decided, closed) keeps its
    status, and `Replied` says so. The link is used up in the same transaction by a
    conditional update: of two posts of one form, one counts, and the same reply posted
    again (a double click) finds it sent rather than an error.
    `text` has been checked by the page (reply_views); anything else is refused here.
    """
    if not text or len(text) > REPLY_CHARS or has_control_characters(text, multiline=True):
        raise ValueError("a reply must be checked before it is kept")
    now = timezone.now()
    asking = replies.lookup(token)
    if asking is not None and asking.used_at is not None and replies.sent_before(asking, text):
        return Replied(case=asking.case, moved=False, status=asking.case.status)
    replies.check(asking, now=now)
    assert asking is not None
    case = asking.case
    with transaction.atomic():
        link = InformationRequest.objects.filter(pk=asking.pk, used_at__isnull=True)
        if not link.update(used_at=now):
            raise replies.LinkProblem("used", case.reference)
        for _ in range(3):  # a caseworker's change may slip in between the read and the write
            current = Case.objects.only("status", "version").get(pk=case.pk)
            status = next_status("reply", current.status)
            fields: dict[str, Any] = {"version": F("version") + 1, "updated_at": now}
            if status is not None:
                fields["status"] = status
            if Case.objects.filter(pk=case.pk, version=current.version).update(**fields):
                break
        else:
            raise Conflict
        detail: dict[str, Any] = {"text": text}
        if status is None:
            detail["status"] = current.status  # what the case was when the reply came
        blob, key_id = encrypt(detail, context=event_context(case))
        event = CaseEvent.objects.create(
            case=case, kind="information_received", detail=blob, key_id=key_id
        )
        InformationRequest.objects.filter(pk=asking.pk).update(reply=event)
        record(
            "case.information_received",
            request=request,
            organisation=case.organisation,
            obj=case,
            data={
                "reference": case.reference,
                "from": current.status,
                "to": status or current.status,
            },
        )
    case.refresh_from_db()
    return Replied(case=case, moved=status is not None, status=current.status)


def record_view(case: Case, *, actor: Any, request: HttpRequest | None = None) -> None:
    """Personal data was shown: say who saw which case."""
    with transaction.atomic():
        record(
            "case.viewed",
            actor=actor,
            request=request,
            organisation=case.organisation,
            obj=case,
            data={"reference": case.reference},
        )


def record_queue_view(
    cases: list[Case], filters: Any, *, actor: Any, request: HttpRequest | None = None
) -> None:
    """The queue shows applicants' names: say who saw which cases, and what they searched.

    One entry for each organisation whose cases were shown, recorded against it: its
    auditors see that entry, naming its cases and no other organisation's."""
    if not cases:
        return
    by_organisation: dict[int, list[str]] = {}
    for case in cases:
        by_organisation.setdefault(case.organisation_id, []).append(case.reference)
    shown = {k: v for k, v in vars(filters).items() if v not in ("", None, False)}
    with transaction.atomic(), batch():
        for organisation_id, references in by_organisation.items():
            record(
                "queue.viewed",
                actor=actor,
                request=request,
                organisation=Organisation(pk=organisation_id),
                data={"references": references, "filters": shown},
            )
