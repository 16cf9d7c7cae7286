"""Which events departments' systems hear of: receivers of the signals of submissions and
casework, writing webhook deliveries in the sender's transaction (delivery.emit).

Payloads carry as little personal data as they can: ids, the reference, the service, statuses,
and links to the API, where a system with a token reads the rest (and the read is audited).
An address leaked from a receiver's logs then gives nothing away about an applicant.
"""

from typing import Any

from django.conf import settings
from django.dispatch import receiver

from porth.casework.models import Case
from porth.casework.signals import case_changed
from porth.submissions.signals import submitted

from .delivery import emit, listening
from .models import Event

DECISIONS = {"approve": "approved", "reject": "rejected"}


def api_link(kind: str, reference: str) -> str:
    """The absolute address of a submission or case in the REST API."""
    return f"{settings.PORTH_BASE_URL.rstrip('/')}/api/v1/{kind}/{reference}"


@receiver(submitted, dispatch_uid="porth.integrations.submitted")
def on_submitted(sender: Any, submission: Any, definition: Any, **kwargs: Any) -> None:
    endpoints = listening(organisation__slug=definition.organisation.id)
    if not endpoints:
        return
    emit(
        endpoints,
        Event.SUBMISSION_CREATED,
        submission.reference,
        {
            "reference": submission.reference,
            "service": submission.service,
            "channel": submission.channel,
            "submitted_at": submission.submitted_at.isoformat()
            if submission.submitted_at
            else None,
            "links": {"submission": api_link("submissions", submission.reference)},
        },
    )


def _case_events(action: str, from_status: str, to_status: str) -> list[str]:
    events: list[str] = []
    if action == "opened":
        events.append(Event.CASE_CREATED)
    elif from_status != to_status:
        events.append(Event.CASE_STATUS_CHANGED)
    if action in {"claim", "assign"}:
        events.append(Event.CASE_ASSIGNED)
    if action in DECISIONS:
        events.append(Event.CASE_DECIDED)
    return events


@receiver(case_changed, dispatch_uid="porth.integrations.case_changed")
def on_case_changed(
    sender: Any,
    case: Case,
    action: str,
    from_status: str,
    to_status: str,
    queue: str = "",
    **kwargs: Any,
) -> None:
    events = _case_events(action, from_status, to_status)
    if not events:
        return
    endpoints = listening(organisation_id=case.organisation_id)
    if not endpoints:
        return
    data: dict[str, Any] = {
        "reference": case.reference,
        "service": case.service,
        "queue": queue,
        "status": to_status,
        "links": {"case": api_link("cases", case.reference)},
    }
    for event in events:
        extra: dict[str, Any] = {}
        if event == Event.CASE_STATUS_CHANGED:
            extra = {"from_status": from_status, "action": action}
        elif event == Event.CASE_DECIDED:
            extra = {"decision": DECISIONS[action]}
        emit(endpoints, event, case.reference, data | extra)
