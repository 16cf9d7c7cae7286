"""/api/v1/submissions: an organisation's submissions, and one with its answers."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Path, Query, Router
from pydantic import Field

from porth.audit.service import record
from porth.casework.models import Case
from porth.submissions.models import Submission

from . import records
from .api import ERRORS, ApiError, need
from .models import Scope
from .schemas import CURSOR, REFERENCE, SLUG, SubmissionDetail, SubmissionPage, TimeFilters

router = Router(tags=["submissions"])


class SubmissionFilters(TimeFilters):
    service: str | None = Field(None, pattern=SLUG, description="Only this service's")
    since: datetime | None = Field(None, description="Only those submitted at or after this")
    cursor: str | None = Field(None, pattern=CURSOR, description="From the previous page")
    limit: int = Field(50, ge=1, le=200)


def _cases(references: list[str]) -> dict[str, str]:
    return dict(Case.objects.filter(reference__in=references).values_list("reference", "reference"))


@router.get(
    "/submissions", operation_id="listSubmissions", response={200: SubmissionPage, **ERRORS}
)
def list_submissions(request: HttpRequest, filters: Query[SubmissionFilters]) -> dict[str, Any]:
    """The organisation's submissions, oldest first (by when they were stored), a page at a
    time. No answers: read a submission for those."""
    caller = need(request, Scope.SUBMISSIONS_READ, SubmissionFilters.model_fields)
    services = records.services_of(caller.organisation)
    if filters.service is not None:
        if filters.service not in services:
            raise ApiError(403, "forbidden", "That service is not your organisation's")
        services = [filters.service]
    rows = Submission.objects.filter(service__in=services)
    since = records.moment(filters.since, "since")
    if since is not None:
        rows = rows.filter(submitted_at__gte=since)
    found, next_cursor = records.page(rows, filters.cursor, filters.limit)
    cases = _cases([row.reference for row in found])
    return {
        "items": [records.submission_summary(row, cases.get(row.reference)) for row in found],
        "next_cursor": next_cursor,
    }


@router.get(
    "/submissions/{reference}",
    operation_id="getSubmission",
    response={200: SubmissionDetail, **ERRORS},
)
def get_submission(
    request: HttpRequest, reference: str = Path(..., pattern=REFERENCE)
) -> dict[str, Any]:
    """One submission with its answers (decrypted); an erased one says when it was erased
    and has none. Every read is in the audit log: which system read which submission."""
    caller = need(request, Scope.SUBMISSIONS_READ)
    submission = (
        Submission.objects.select_related("definition")
        .filter(reference=reference.upper(), service__in=records.services_of(caller.organisation))
        .first()
    )
    if submission is None:
        raise ApiError(404, "not_found", "No such submission")
    with transaction.atomic():
        record(
            "integrations.submission_read",
            actor=caller.user,
            request=request,
            organisation=caller.organisation,
            obj=submission,
            data={"reference": submission.reference, "token": caller.token.pk},
        )
    return records.submission_detail(submission, next(iter(_cases([submission.reference])), None))
