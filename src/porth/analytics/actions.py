"""Writes to performance data that staff make: atomic and audited in the same transaction."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from porth.accounts.models import Organisation, User
from porth.audit.service import record

from .models import Cost
from .periods import Period


def enter_cost(
    service: str,
    channel: str,
    period: Period,
    amount: Decimal,
    *,
    organisation: Organisation,
    actor: User,
    request: HttpRequest | None = None,
) -> Cost:
    """What `channel` of `service` cost over `period`. Entering a cost for the same channel
    and days again corrects it (the row is replaced, and the audit log keeps both amounts)."""
    with transaction.atomic():
        earlier = (
            Cost.objects.select_for_update()
            .filter(service=service, channel=channel, first_day=period.start, last_day=period.end)
            .first()
        )
        data: dict[str, Any] = {
            "service": service,
            "channel": channel,
            "first_day": period.start.isoformat(),
            "last_day": period.end.isoformat(),
            "amount": str(amount),
        }
        if earlier is not None:
            # Replaced, not updated: where spans overlap, the one entered last counts
            # (costs.py), so a correction must be the newest row.
            data["replaced"] = str(earlier.amount)
            earlier.delete()
        cost = Cost.objects.create(
            service=service,
            channel=channel,
            first_day=period.start,
            last_day=period.end,
            amount=amount,
            entered_by=actor,
        )
        record(
            "performance.cost_entered",
            actor=actor,
            request=request,
            organisation=organisation,
            obj=cost,
            data=data,
        )
    return cost
