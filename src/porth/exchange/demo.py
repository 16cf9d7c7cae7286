"""The demo's second organisation (`porth run`): the Example Pensions Agency publishes
"Pension Credit" to the Example Council, whose "Apply for Council Tax Reduction" prefills a
page from it with the applicant's consent (docs/prefill.md).

Made-up answers: anyone whose National Insurance number ends in A (e.g. AB 12 34 56 A) gets
Pension Credit; anyone else does not. The query is registered
only outside production, so no real service can be configured to give made-up answers.
"""

import re
from typing import Any, ClassVar

from django.conf import settings
from django.db import transaction

from porth.accounts.models import Membership, Organisation, Role, User
from porth.accounts.service import ensure_organisation

from . import actions, handlers
from .models import ExchangeService, Grant, Partner

AGENCY = ("example-pensions-agency", "Example Pensions Agency", "Asiantaeth Pensiynau Enghraifft")
COUNCIL = ("example-council", "Example Council")
SERVICE = "pension-credit"
PURPOSE = "council-tax-reduction"
OWNER = "owner"  # the demo service owner (porth.accounts.demo), made one of the agency's too


class DemoPensionCredit(handlers.Query):
    name: ClassVar[str] = "demo-pension-credit"
    description: ClassVar[str] = "Demo: whether someone gets Pension Credit (made-up answers)"
    takes: ClassVar[tuple[str, ...]] = ("national_insurance_number",)
    gives: ClassVar[tuple[str, ...]] = ("pension_credit",)

    def answer(self, service: ExchangeService, query: dict[str, Any]) -> dict[str, Any]:
        nino = re.sub(r"\s", "", str(query.get("national_insurance_number", ""))).upper()
        if not re.fullmatch(r"[A-Z]{2}\d{6}[A-D]", nino):
            raise handlers.BadQuery("national_insurance_number is not a National Insurance number")
        return {"pension_credit": nino.endswith("A")}


def register() -> None:
    if settings.ENV != "production":
        handlers.register(DemoPensionCredit())


def ensure_exchange_demo(base_url: str) -> ExchangeService:
    """The agency, both organisations as partners at `base_url` (this Porth), the service
    and the council's grant. Safe to run again (the partners follow a new base URL)."""
    agency = ensure_organisation(*AGENCY)
    council = Organisation.objects.get(slug=COUNCIL[0])
    with transaction.atomic():
        for slug, name in ((agency.slug, AGENCY[1]), COUNCIL):
            Partner.objects.update_or_create(
                slug=slug, defaults={"name": name, "base_url": base_url, "jwks_url": ""}
            )
        service = actions.publish(
            agency,
            slug=SERVICE,
            name="Pension Credit",
            description="Whether someone gets Pension Credit, by National Insurance number.",
            config={"query": DemoPensionCredit.name},
            fields=[{"id": "pension_credit", "label": "Gets Pension Credit"}],
        )
        owner = User.objects.get(username=OWNER)
        Membership.objects.get_or_create(user=owner, organisation=agency, role=Role.SERVICE_OWNER)
        active = Grant.objects.filter(
            service=service, caller=council.slug, purpose=PURPOSE, revoked_at=None
        )
        if not active.exists():
            actions.grant(service, caller=council.slug, purpose=PURPOSE, actor=owner)
    return service
