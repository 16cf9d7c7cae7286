"""/api/v1/cases: an organisation's cases, one with its timeline, and actions on it."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Path, Query, Router
from pydantic import Field

from porth.audit.service import record
from porth.casework import service as casework
from porth.casework.models import Case

from . import records
from .api import ERRORS, ApiError, need
from .models import Scope
from .schemas import (
    CURSOR,
    REFERENCE,
    SLUG,
    ActionIn,
    CaseDetail,
    CasePage,
    CaseStatus,
    Error,
    TimeFilters,
)
from .tokens import Caller

router = Router(tags=["cases"])

# The actions, each with whether it needs text, and the casework action function.
ACTIONS: dict[str, tuple[bool, Callable[..., Case]]] = {
    "resume": (False, casework.resume),
    "close": (False, casework.close),
    "approve": (False, casework.approve),
    "reject": (True, casework.reject),
    "request_information": (True, casework.request_information),
    "note": (True, casework.add_note),
    "message": (True, casework.write_to_applicant),
}


class CaseFilters(TimeFilters):
    service: str | None = Field(None, pattern=SLUG, description="Only this service's")
    queue: str | None = Field(None, pattern=SLUG, description="Only those in this queue")
    status: CaseStatus | None = Field(None, description="Only those in this status")
    updated_since: datetime | None = Field(None, description="Only those changed since")
    cursor: str | None = Field(None, pattern=CURSOR, description="From the previous page")
    limit: int = Field(50, ge=1, le=200)


def _cases(caller: Caller) -> Any:
    return Case.objects.filter(organisation=caller.organisation).select_related(
        "queue", "assigned_to"
    )


@router.get("/cases", operation_id="listCases", response={200: CasePage, **ERRORS})
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, Any]:
    """The organisation's cases, oldest first, a page at a time."""
    caller = need(request, Scope.CASES_READ, CaseFilters.model_fields)
    rows = _cases(caller)
    if filters.service is not None:
        if filters.service not in records.services_of(caller.organisation):
            raise ApiError(403, "forbidden", "That service is not your organisation's")
        rows = rows.filter(service=filters.service)
    if filters.queue is not None:
        rows = rows.filter(queue__slug=filters.queue)
    if filters.status is not None:
        rows = rows.filter(status=filters.status)
    since = records.moment(filters.updated_since, "updated_since")
    if since is not None:
        rows = rows.filter(updated_at__gte=since)
    found, next_cursor = records.page(rows, filters.cursor, filters.limit)
    return {"items": [records.case_summary(row) for row in found], "next_cursor": next_cursor}


def _case(caller: Caller, reference: str) -> Case:
    case = _cases(caller).filter(reference=reference.upper()).first()
    if case is None:
        raise ApiError(404, "not_found", "No such case")
    return case


def _read(request: HttpRequest, caller: Caller, case: Case) -> dict[str, Any]:
    """The case with its timeline (notes, reasons, replies: personal), the read audited."""
    with transaction.atomic():
        record(
            "integrations.case_read",
            actor=caller.user,
            request=request,
            organisation=caller.organisation,
            obj=case,
            data={"reference": case.reference, "token": caller.token.pk},
        )
    return records.case_detail(case)


@router.get("/cases/{reference}", operation_id="getCase", response={200: CaseDetail, **ERRORS})
def get_case(request: HttpRequest, reference: str = Path(..., pattern=REFERENCE)) -> dict[str, Any]:
    """One case: status, queue, who has it, and its timeline."""
    caller = need(request, Scope.CASES_READ)
    return _read(request, caller, _case(caller, reference))


@router.post(
    "/cases/{reference}/actions",
    operation_id="actOnCase",
    response={200: CaseDetail, 409: Error, **ERRORS},
)
def act_on_case(
    request: HttpRequest, body: ActionIn, reference: str = Path(..., pattern=REFERENCE)
) -> dict[str, Any]:
    """Change the case as a caseworker would on its page: resume, ask the applicant for
    information, approve, reject, close, add a note or write to the applicant. `version` is
    the case's as last read: if it has changed since, nothing is done (409), so a system
    never overwrites a caseworker's change it has not seen. An action the status does not
    allow is a 409 too; text missing where it is needed, a 422. The applicant is told of
    decisions and requests as they are when a caseworker acts. Needs cases:read as well."""
    caller = need(request, Scope.CASES_WRITE)
    need(request, Scope.CASES_READ)
    case = _case(caller, reference)
    needs_text, function = ACTIONS[body.action]
    text = (body.text or "").strip()
    args: list[Any] = [case]
    if needs_text:
        if not text:
            raise ApiError(422, "invalid", f"Send text for the {body.action} action")
        args.append(text)
    elif text:
        raise ApiError(422, "invalid", f"The {body.action} action takes no text")
    try:
        changed = function(*args, version=body.version, actor=caller.user, request=request)
    except casework.Conflict as conflict:
        raise ApiError(409, "conflict", conflict.message) from None
    except casework.Refused as refused:
        status = 422 if needs_text and _about_text(refused.message) else 409
        raise ApiError(status, "invalid" if status == 422 else "refused", refused.message) from None
    return _read(request, caller, changed)


def _about_text(message: str) -> bool:
    """Whether casework refused the text itself (too long, hidden characters), not the move."""
    return "characters" in message or message.startswith("Enter ")
