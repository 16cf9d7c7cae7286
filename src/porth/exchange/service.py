"""The exchange app's public API for other apps (docs/exchange.md).

- `call(...)` asks another organisation's exchange service and returns a `Reply`, or raises
  `Refused` (the partner said no, with its reason) or `Unavailable` (no trustworthy answer
  in time: let the citizen type the answer instead). Both are `ExchangeError`s.
- `calls_about(citizen)`: every call logged about a citizen, newest first ("who used my
  data").
- `offered()` / `find_offer(provider, slug)`: the exchange services a definition may name
  (provider organisation + service slug) and the fields their replies hold (for prefill).

Other apps import this module and porth.exchange.models, nothing else of exchange.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from porth.signin.models import CitizenAccount

from .citizen import ConsentsSection, GivenConsent, consents_of, find_consent, withdraw
from .client import ExchangeError, Refused, Reply, Unavailable, call
from .handlers import fields_of
from .models import Direction, ExchangeService, MessageLog
from .tracker import Call, describe


def calls_about(citizen: CitizenAccount) -> QuerySet[MessageLog]:
    """The log entries of calls this Porth made or answered about the citizen, newest
    first: `at`, `caller`, `provider`, `service`, `purpose`, `reference`, `outcome`.

    When both organisations are in this Porth, one call is logged on both sides and both
    entries may be the citizen's: it is listed once, by the caller's entry (which knows
    the consent behind it)."""
    theirs = MessageLog.objects.filter(citizen=citizen)
    sent = theirs.filter(
        direction=Direction.OUT, caller=OuterRef("caller"), message_id=OuterRef("message_id")
    )
    return theirs.exclude(Q(direction=Direction.IN) & Exists(sent)).order_by("-at", "-id")


@dataclass(frozen=True)
class Offer:
    """An exchange service as a definition names it: `provider` + `service`."""

    provider: str
    service: str
    name: str
    description: str
    fields: tuple[str, ...]  # the ids of what a reply holds
    labels: dict[str, str]  # field id → label, where the service gives one


def _offer(service: ExchangeService) -> Offer:
    labels = {
        str(field["id"]): str(field.get("label", field["id"]))
        for field in service.fields
        if isinstance(field, dict) and "id" in field
    }
    return Offer(
        provider=service.organisation.slug,
        service=service.slug,
        name=service.name,
        description=service.description,
        fields=tuple(fields_of(service)),
        labels=labels,
    )


def offered() -> list[Offer]:
    """The exchange services published in this Porth (a partner's are known by name)."""
    found = ExchangeService.objects.select_related("organisation").order_by(
        "organisation__slug", "slug"
    )
    return [_offer(service) for service in found]


def find_offer(provider: str, slug: str) -> Offer | None:
    found = (
        ExchangeService.objects.select_related("organisation")
        .filter(organisation__slug=provider, slug=slug)
        .first()
    )
    return _offer(found) if found else None


__all__ = [
    "Call",
    "ConsentsSection",
    "ExchangeError",
    "GivenConsent",
    "Offer",
    "Refused",
    "Reply",
    "Unavailable",
    "call",
    "calls_about",
    "consents_of",
    "describe",
    "find_consent",
    "find_offer",
    "offered",
    "withdraw",
]
