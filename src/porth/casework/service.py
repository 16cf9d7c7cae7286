"""The casework app's public API for other apps.

Other apps import this module, `porth.casework.models` and `porth.casework.signals`; nothing
else of casework. A `protected` import-linter contract (pyproject.toml) checks it.
"""

from datetime import datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone

from porth.utils.crypto import encrypt

from .actions import (
    Conflict,
    Refused,
    add_note,
    approve,
    close,
    event_context,
    reject,
    request_information,
    resume,
    write_to_applicant,
)
from .erasure import count_cases, erase_cases
from .models import OPEN_STATUSES, Case, CaseEvent
from .parts import register as register_case_part


def add_event(case: Case, kind: str, detail: dict[str, Any] | None = None) -> CaseEvent:
    """Put something that happened outside casework on the case's timeline (a message that
    could not be delivered). `detail` is encrypted, as every timeline detail is."""
    blob, key_id = encrypt(detail, context=event_context(case)) if detail else (b"", "")
    return CaseEvent.objects.create(case=case, kind=kind, detail=blob, key_id=key_id)


def overdue_by_queue(
    service: str, *, now: datetime | None = None, channel: str | None = None
) -> dict[str, int]:
    """How many of the service's cases are overdue now (still open, past their due date),
    by queue slug; only those of `channel` if given. One query on a partial index of the
    open cases (case_service_open_due), so it stays quick however many are closed."""
    cases = Case.objects.filter(
        service=service, status__in=OPEN_STATUSES, due_at__lt=now or timezone.now()
    )
    if channel:
        cases = cases.filter(channel=channel)
    rows = cases.values_list("queue__slug").annotate(n=Count("id")).order_by()
    return {slug: n for slug, n in rows}


# The action functions (atomic, audited, version-checked), for other apps that work cases on
# staff's behalf: the REST API for departments' systems (porth.integrations).
__all__ = [
    "Conflict",
    "Refused",
    "add_event",
    "add_note",
    "approve",
    "close",
    "count_cases",
    "erase_cases",
    "overdue_by_queue",
    "register_case_part",
    "reject",
    "request_information",
    "resume",
    "write_to_applicant",
]
