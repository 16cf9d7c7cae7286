"""The shapes the REST API reads and writes (pydantic, through django-ninja): what its
OpenAPI document (docs/integrations-api.openapi.json) describes."""

import re
from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field, field_validator

# References, service and queue slugs: checked before they reach a query, so that no odd
# input (a NUL, a megabyte of text) gets further than a 422.
REFERENCE = r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$"
SLUG = r"^[a-z0-9][a-z0-9-]{0,79}$"
CURSOR = r"^[A-Za-z0-9_-]{1,64}$"
MAX_TEXT = 5000

CaseStatus = Literal[
    "new",
    "in_progress",
    "awaiting_information",
    "information_received",
    "approved",
    "rejected",
    "closed",
]
CaseAction = Literal[
    "resume", "request_information", "approve", "reject", "close", "note", "message"
]


# RFC 3339 (what the document's "date-time" means): not a bare number, which pydantic would
# otherwise read as seconds since 1970.
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?")


class TimeFilters(Schema):
    """A list's query: times only as RFC 3339 text."""

    @field_validator("since", "updated_since", mode="before", check_fields=False)
    @classmethod
    def _rfc3339(cls, value: object) -> object:
        if value is not None and not (isinstance(value, str) and _DATE_TIME.fullmatch(value)):
            raise ValueError("must be a date and time like 2026-04-01T09:30:00Z")
        return value


class ErrorDetail(Schema):
    status: int
    code: str = Field(description="A stable word for the error, such as not_found or invalid")
    message: str = Field(description="What went wrong, in plain English")
    fields: list[dict[str, Any]] = Field(
        default_factory=list, description="For invalid input: each field and what is wrong"
    )


class Error(Schema):
    error: ErrorDetail


class SubmissionSummary(Schema):
    reference: str
    service: str
    channel: str
    language: str
    submitted_at: datetime
    erased: bool
    case: str | None = Field(description="The reference of the submission's case, if any")


class SubmissionPage(Schema):
    items: list[SubmissionSummary]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page"
    )


class SubmissionDetail(SubmissionSummary):
    definition_version: str
    erased_at: datetime | None
    answers: dict[str, Any] | None = Field(
        description="Answers by field id, as the applicant gave them; null once erased"
    )


class Queue(Schema):
    slug: str
    name: str


class CaseSummary(Schema):
    reference: str
    service: str
    queue: Queue
    status: CaseStatus
    assigned_to: str | None
    channel: str
    due_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Send it back with an action: a stale one gets 409")


class CasePage(Schema):
    items: list[CaseSummary]
    next_cursor: str | None


class CaseEvent(Schema):
    kind: str
    at: datetime
    actor: str | None
    text: str | None = Field(description="A note, message, reason or reply, if the event has one")


class CaseDetail(CaseSummary):
    submission: str
    events: list[CaseEvent]


class ActionIn(Schema):
    action: CaseAction
    version: int = Field(ge=1, le=2_147_483_647)
    text: str | None = Field(
        default=None,
        max_length=MAX_TEXT,
        description="Required for note, message, reject (the reason) and request_information",
    )
