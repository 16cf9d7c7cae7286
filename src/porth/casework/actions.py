"""Every change to a case: atomic, audited in the same transaction, version-checked."""

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
from porth.services.service import CaseAction, Definition, durations
from porth.utils.crypto import blind_index, encrypt
from porth.utils.text import has_control_characters

from .models import Case, CaseEvent, Queue
from .signals import applicant_event
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


def event_context(case: Case) -> str:
    return f"case:{case.reference}:event"


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
        current = Case.objects.filter(pk=case.pk).only("status", "version").first()
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
    text = _text(message, "what you need from the applicant")
    return _change(
        case, "request_information", version=version, actor=actor, request=request,
        detail={"text": text},
    )  # fmt: skip


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
