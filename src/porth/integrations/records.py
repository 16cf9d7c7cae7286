"""What the API reads: an organisation's submissions and cases, a page at a time, as plain
dicts in the shapes of schemas.py. Pages follow the rows' ids (keyset paging): a stable order
however many rows arrive meanwhile, and each page one indexed query however deep it goes."""

import base64
import binascii
from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet

from porth.accounts.models import Organisation
from porth.casework.models import Case, CaseEvent, event_context
from porth.services.models import DefinitionVersion
from porth.submissions.models import Submission
from porth.submissions.service import read_answers
from porth.utils.crypto import decrypt

from .api import ApiError


def services_of(organisation: Organisation) -> list[str]:
    """The slugs of the services the organisation runs (any version it ever published)."""
    return list(
        DefinitionVersion.objects.filter(canonical__organisation__id=organisation.slug)
        .values_list("slug", flat=True)
        .distinct()
    )


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"after:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, number = text.partition(":")
        if kind != "after" or not number.isdigit() or len(number) > 18:
            raise ValueError(text)
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ApiError(422, "invalid", "The cursor is not one this API gave") from None


def moment(value: datetime | None, what: str) -> datetime | None:
    """A time from a query, in UTC (one without a zone is taken as UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        found = value.astimezone(UTC)
    except (OverflowError, ValueError):
        found = None
    if found is None or not 1970 <= found.year <= 9000:
        raise ApiError(422, "invalid", f"{what} must be a time between 1970 and 9000")
    return found


def page[T: (Submission, Case)](
    rows: QuerySet[T], cursor: str | None, limit: int
) -> tuple[list[T], str | None]:
    found = list(rows.filter(pk__gt=decode_cursor(cursor)).order_by("pk")[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    return found, encode_cursor(found[-1].pk) if more and found else None


def submission_summary(submission: Submission, case: str | None) -> dict[str, Any]:
    return {
        "reference": submission.reference,
        "service": submission.service,
        "channel": submission.channel,
        "language": submission.language,
        "submitted_at": submission.submitted_at,
        "erased": submission.erased_at is not None,
        "case": case,
    }


def submission_detail(submission: Submission, case: str | None) -> dict[str, Any]:
    return submission_summary(submission, case) | {
        "definition_version": submission.definition.version,
        "erased_at": submission.erased_at,
        "answers": read_answers(submission) if submission.erased_at is None else None,
    }


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "service": case.service,
        "queue": {"slug": case.queue.slug, "name": case.queue.name},
        "status": case.status,
        "assigned_to": str(case.assigned_to) if case.assigned_to else None,
        "channel": case.channel,
        "due_at": case.due_at,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "version": case.version,
    }


def _text(case: Case, event: CaseEvent) -> str | None:
    if not event.detail:
        return None
    detail = decrypt(event.detail, event.key_id, context=event_context(case))
    text = detail.get("text") or detail.get("to") if isinstance(detail, dict) else None
    return str(text) if text else None


def case_detail(case: Case) -> dict[str, Any]:
    events = CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "id")
    return case_summary(case) | {
        "submission": case.reference,
        "events": [
            {
                "kind": event.kind,
                "at": event.at,
                "actor": str(event.actor) if event.actor else None,
                "text": _text(case, event),
            }
            for event in events
        ],
    }
