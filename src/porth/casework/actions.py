"""Every change to a case: atomic, audited in the same transaction, version-checked."""

import re
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from porth.accounts.models import Organisation
from porth.audit.service import record
from porth.services.definition import Definition
from porth.services.definition.models import CaseAction
from porth.utils.crypto import blind_index

from .models import Case, CaseEvent, Queue


def sla_due(sla: str | None, start: Any) -> Any:
    """When a case is due: the SLA (an ISO 8601 duration) after it was opened."""
    if not sla:
        return None
    parts = {unit: int(n) for n, unit in re.findall(r"(\d+)([YMWD])", sla)}
    days = (
        parts.get("D", 0) + 7 * parts.get("W", 0) + 30 * parts.get("M", 0) + 365 * parts.get("Y", 0)
    )
    return start + timedelta(days=days)


def organisation_for(definition: Definition) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        slug=definition.organisation.id,
        defaults={
            "name": definition.organisation.name.en,
            "name_cy": definition.organisation.name.cy or "",
        },
    )
    return organisation


def queue_for(organisation: Organisation, action: CaseAction) -> Queue:
    name = (
        action.queue_name.en if action.queue_name else action.queue.replace("-", " ").capitalize()
    )
    queue, _ = Queue.objects.get_or_create(
        organisation=organisation, slug=action.queue, defaults={"name": name}
    )
    return queue


def open_case(
    submission: Any,
    definition: Definition,
    action: CaseAction,
    answers: dict[str, Any],
    *,
    actor: Any = None,
) -> Case:
    with transaction.atomic():
        organisation = organisation_for(definition)
        queue = queue_for(organisation, action)
        name = answers.get(action.name) if action.name else None
        now = timezone.now()
        case = Case.objects.create(
            submission=submission,
            reference=submission.reference,
            organisation=organisation,
            queue=queue,
            service=definition.slug,
            channel=submission.channel,
            name_index=blind_index(name) if isinstance(name, str) else "",
            due_at=sla_due(action.sla, now),
        )
        CaseEvent.objects.create(case=case, kind="opened", actor=actor)
        record(
            "case.opened",
            actor=actor,
            organisation=organisation,
            obj=case,
            data={"reference": case.reference, "channel": case.channel},
        )
    return case
