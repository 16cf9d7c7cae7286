"""A signed-in citizen's consents ("tell us once", docs/prefill.md) on "Your applications":
what they agreed we could ask for, from whom and why, with "Withdraw consent", and the way
to "Who has asked for information about you".

`ConsentsSection` has the shape of porth.applications.sections.Section; porth.applications
registers it (it is the layer above, so it does the registering).
"""

from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import formats, timezone
from markupsafe import Markup

from porth.signin.models import CitizenAccount
from porth.submissions.models import Submission

from . import actions
from .models import Consent
from .prefilling import organisation_names

MAX_LISTED = 100


@dataclass(frozen=True)
class GivenConsent:
    id: int
    what: str
    provider: str  # the organisation's name
    why: str
    given_at: datetime
    withdrawn_at: datetime | None
    reference: str  # the application it went with ("" if not sent)


def consents_of(
    citizen: CitizenAccount, submission: Submission | None = None
) -> list[GivenConsent]:
    """The consents the citizen gave (for one application, if given), newest first
    (refusals are not consents to list)."""
    chosen = Consent.objects.filter(citizen=citizen, given=True)
    if submission is not None:
        chosen = chosen.filter(submission=submission)
    found = list(chosen.select_related("submission").order_by("-decided_at", "-id")[:MAX_LISTED])
    names = organisation_names({c.provider for c in found})
    return [
        GivenConsent(
            id=c.pk,
            what=c.what,
            provider=names[c.provider],
            why=c.why,
            given_at=c.decided_at,
            withdrawn_at=c.withdrawn_at,
            reference=c.submission.reference if c.submission else "",
        )
        for c in found
    ]


def find_consent(citizen: CitizenAccount, consent_id: int) -> GivenConsent | None:
    for consent in consents_of(citizen):
        if consent.id == consent_id:
            return consent
    return None


def withdraw(citizen: CitizenAccount, consent_id: int) -> bool:
    """Withdraw one of the citizen's own consents; False if it is not theirs."""
    consent = Consent.objects.filter(pk=consent_id, citizen=citizen, given=True).first()
    if consent is None:
        return False
    actions.withdraw_consent(consent, citizen=citizen)
    return True


def _day(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment).date(), "j F Y")


class ConsentsSection:
    name = "exchange.consents"
    order = 100

    def on_list(self, request: HttpRequest, citizen: CitizenAccount) -> Markup | None:
        return Markup(
            render_to_string(
                "applications/consents_section.html",
                {"consents": consents_of(citizen), "day": _day},
                request=request,
            )
        )

    def on_application(
        self, request: HttpRequest, citizen: CitizenAccount, submission: Submission
    ) -> Markup | None:
        consents = consents_of(citizen, submission)
        if not consents:
            return None
        return Markup(
            render_to_string(
                "applications/consents_section.html",
                {"consents": consents, "day": _day, "one_application": True},
                request=request,
            )
        )
