""" "Who used my data": the exchange calls made about a citizen, in words (docs/prefill.md).

Each entry of the message log linked to the citizen is described with the organisations'
names, the exchange service's name, what it was for (the citizen's service, and the reason
they were given) and the application it was for: the consent that allowed the call ties its
message id to the application once sent. Entries are linked on the caller's side (a call
made in the citizen's signed-in journey) and on the provider's (a call answered from an
application they sent signed in: no consent here, so its purpose is the caller's, in words,
and its reference the caller's).
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from porth.services import service as services

from .models import Consent, ExchangeService, MessageLog, Outcome
from .prefilling import organisation_names


@dataclass(frozen=True)
class Call:
    at: datetime
    asked_by: str  # the organisation that asked, by name
    answered_by: str  # the organisation asked
    service: str  # the exchange service's name
    purpose: str  # what for, in words
    reason: str  # the reason the citizen was given ("" if none)
    reference: str  # the application's reference ("" if not sent)
    outcome: str  # in words


def _purpose_words(slug: str) -> str:
    """council-tax-reduction → Council tax reduction: a purpose has no name of its own."""
    words = slug.replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def _outcome(outcome: str) -> str:
    if outcome == Outcome.ANSWERED:
        return _("Answered")
    if outcome == Outcome.REFUSED:
        return _("Refused")
    return _("No answer")


def describe(entries: list[MessageLog]) -> list[Call]:
    """The entries in words, in the active language: a few queries for any number."""
    if not entries:
        return []
    slugs = {e.caller for e in entries} | {e.provider for e in entries}
    names = organisation_names(slugs)
    services_named = {
        (org, slug): name
        for org, slug, name in ExchangeService.objects.filter(
            organisation__slug__in={e.provider for e in entries}
        ).values_list("organisation__slug", "slug", "name")
    }
    consents = {
        c.message_id: c
        for c in Consent.objects.filter(message_id__in=[e.message_id for e in entries])
        .select_related("submission")
        .only("message_id", "service", "why", "submission__reference")
    }
    language = get_language() or "en"
    out = []
    for entry in entries:
        consent = consents.get(entry.message_id)
        purpose = _purpose_words(entry.purpose)
        reference = entry.reference
        if consent is not None:
            definition = services.get(consent.service)
            if definition is not None:
                purpose = definition.name.get(language)
            reference = consent.submission.reference if consent.submission else ""
        out.append(
            Call(
                at=entry.at,
                asked_by=names.get(entry.caller, entry.caller),
                answered_by=names.get(entry.provider, entry.provider),
                service=services_named.get((entry.provider, entry.service), entry.service),
                purpose=purpose,
                reason=consent.why if consent is not None else "",
                reference=reference,
                outcome=_outcome(entry.outcome),
            )
        )
    return out
