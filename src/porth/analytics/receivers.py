"""Events from the other apps' signals (their arguments are documented where they are
declared: porth.submissions.signals, porth.casework.signals).

Each receiver turns a signal into `recorder.record` calls and nothing else: no query, and
nothing from an answer. A journey is named by its id (hashed by the recorder); a journey
not yet stored has none, so the views of a first page before anything is answered are
counted as visits, not journeys. The device class is read from the User-Agent header on the
first page's view, on the journey's first stored answer and at submission, which is enough
for the roll-up to know each journey's device without reading the header on every page.
"""

from datetime import UTC, datetime
from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from porth.casework.models import OPEN_STATUSES, Status
from porth.casework.signals import case_changed
from porth.submissions.signals import journey_event, saved_for_later, submitted

from .devices import classify
from .models import Kind
from .recorder import record

# The statuses that end a case: reaching one of them from an open status is a decision.
DECIDED = frozenset({Status.APPROVED, Status.REJECTED, Status.CLOSED})
# What a journey page may say happened (submissions.events): anything else is not recorded.
JOURNEY_KINDS = frozenset(
    {
        Kind.PAGE_VIEWED,
        Kind.PAGE_ANSWERED,
        Kind.VALIDATION_ERROR,
        Kind.CHANGE_USED,
        Kind.BACK_USED,
        Kind.EXIT_REACHED,
        Kind.RESUMED,
    }
)


def device_of(request: Any) -> str:
    """The device class of the browser that made `request` ("" without a request)."""
    if request is None:
        return ""
    return classify(request.META.get("HTTP_USER_AGENT", ""))


def _seconds_since(start: datetime | None, now: datetime) -> int | None:
    if start is None:
        return None
    if timezone.is_naive(start):  # as porth.fastpath.sql reads a row on SQLite: UTC
        start = start.replace(tzinfo=UTC)
    return max(0, int((now - start).total_seconds()))


@receiver(journey_event, dispatch_uid="porth.analytics.journey_event")
def on_journey_event(
    sender: Any,
    kind: str,
    journey: Any,
    page: str = "",
    variant: str = "",
    errors: list[tuple[str, str]] | None = None,
    request: Any = None,
    first: bool = False,
    **kwargs: Any,
) -> None:
    if kind not in JOURNEY_KINDS:
        return
    journey_id = None if journey._state.adding else journey.pk
    if kind == Kind.VALIDATION_ERROR:
        for field, shown in errors or []:
            record(
                kind,
                journey.service,
                journey_id=journey_id,
                page=page,
                field=field,
                detail=shown,
                channel=journey.channel,
                variant=variant,
            )
        return
    with_device = first and kind in (Kind.PAGE_VIEWED, Kind.PAGE_ANSWERED)
    record(
        kind,
        journey.service,
        journey_id=journey_id,
        page=page,
        channel=journey.channel,
        device=device_of(request) if with_device else "",
        variant=variant,
    )


@receiver(saved_for_later, dispatch_uid="porth.analytics.saved_for_later")
def on_saved_for_later(sender: Any, journey: Any = None, **kwargs: Any) -> None:
    if journey is None:  # nothing to count it against (only tests send one)
        return
    record(Kind.SAVED, journey.service, journey_id=journey.pk, channel=journey.channel)


@receiver(submitted, dispatch_uid="porth.analytics.submitted")
def on_submitted(sender: Any, submission: Any, request: Any = None, **kwargs: Any) -> None:
    """In the submission's transaction: counted exactly when it commits."""
    now = timezone.now()
    journey = submission.journey  # the locked row the submission was made from: no query
    record(
        Kind.SUBMITTED,
        submission.service,
        journey_id=submission.journey_id,
        channel=submission.channel,
        device=device_of(request),
        value=_seconds_since(journey.created_at if journey is not None else None, now),
        at=now,
        now=True,
    )


@receiver(case_changed, dispatch_uid="porth.analytics.case_changed")
def on_case_changed(
    sender: Any,
    case: Any,
    action: str,
    from_status: str,
    to_status: str,
    queue: str = "",
    **kwargs: Any,
) -> None:
    """In the change's transaction: counted exactly when it commits."""
    if action == "opened":
        record(Kind.CASE_OPENED, case.service, detail=queue, channel=case.channel, now=True)
    elif to_status in DECIDED and from_status in OPEN_STATUSES:
        now = timezone.now()
        record(
            Kind.CASE_DECIDED,
            case.service,
            detail=queue,
            field=to_status,
            channel=case.channel,
            value=_seconds_since(case.created_at, now),
            at=now,
            now=True,
        )
