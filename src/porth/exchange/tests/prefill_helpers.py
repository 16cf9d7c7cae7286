""" "Tell us once" tests: a council service whose page is prefilled from the agency."""

from pathlib import Path
from typing import Any, ClassVar

from django.test import Client

from porth.accounts.models import Role
from porth.casework.tests.helpers import staff
from porth.exchange import actions, handlers
from porth.exchange.models import ExchangeService

from .helpers import CALLER, PROVIDER, PURPOSE, Pair

SLUG = "council-tax-reduction"
BASE = f"/services/{SLUG}"
EMAIL = "jo@example.com"

DEFINITION = f"""
slug: {SLUG}
name: {{en: Apply for Council Tax Reduction, cy: Gwneud cais am Ostyngiad y Dreth Gyngor}}
summary: {{en: For tests, cy: Ar gyfer profion}}
organisation: {{id: {CALLER}, name: {{en: Borough Council, cy: Cyngor Bwrdeistref}}}}
start: {{body: {{en: Use this service to test., cy: Defnyddiwch y gwasanaeth hwn i brofi.}}}}
declaration: {{body: {{en: It is true., cy: Mae'n wir.}}}}
confirmation: {{body: {{en: We will reply., cy: Byddwn yn ateb.}}}}
sign_in: optional
on_submit:
  - case: {{queue: applications, queue_name: {{en: Applications}}, name: full_name}}
pages:
  - id: email
    fields:
      - {{id: email, type: email, label: {{en: "Email address?", cy: "Cyfeiriad e-bost?"}}}}
  - id: your-benefits
    title: {{en: Your benefits, cy: Eich budd-daliadau}}
    prefill:
      from: {{organisation: {PROVIDER}, service: benefits}}
      what: {{en: whether you get Pension Credit, cy: a ydych yn cael Credyd Pensiwn}}
      why: {{en: so you do not have to tell us again, cy: fel nad oes rhaid i chi ddweud wrthym eto}}
      purpose: {PURPOSE}
      query: {{email: answers.email}}
      answers: {{gets_pension_credit: reply.pension_credit, full_name: reply.name}}
    fields:
      - {{id: full_name, type: text, label: {{en: "Your name", cy: "Eich enw"}}}}
      - {{id: gets_pension_credit, type: yesno, label: {{en: "Do you get Pension Credit?", cy: "Ydych chi'n cael Credyd Pensiwn?"}}}}
"""


class Benefits(handlers.Query):
    """The agency's answer: who gets Pension Credit, by email."""

    name: ClassVar[str] = "test-benefits"
    description: ClassVar[str] = "Pension Credit by email (tests)"
    takes: ClassVar[tuple[str, ...]] = ("email",)
    gives: ClassVar[tuple[str, ...]] = ("pension_credit", "name")

    def answer(self, service: ExchangeService, query: dict[str, Any]) -> dict[str, Any]:
        if query.get("email") != EMAIL:
            raise handlers.BadQuery("no such person")
        return {"pension_credit": True, "name": "Jo Bloggs"}


def set_up(two: Pair, directory: Path) -> ExchangeService:
    """The definition served from `directory`, and the agency's service granted to the
    council for the purpose."""
    from porth.services import registry

    (directory / f"{SLUG}.yaml").write_text(DEFINITION)
    registry.reload()
    handlers.register(Benefits())
    service = actions.publish(
        two.provider, slug="benefits", name="Benefits received", config={"query": "test-benefits"}
    )
    owner = staff((two.provider, Role.SERVICE_OWNER))
    actions.grant(service, caller=CALLER, purpose=PURPOSE, actor=owner)
    return service


def to_consent(client: Client, email: str = EMAIL) -> None:
    response = client.post(f"{BASE}/email", {"email": email})
    assert response.headers["Location"] == f"{BASE}/your-benefits"
    response = client.get(f"{BASE}/your-benefits")
    assert response.status_code == 303
    assert response.headers["Location"] == f"{BASE}/your-benefits/consent"


def send(client: Client, **answers: str) -> None:
    response = client.post(f"{BASE}/your-benefits", answers)
    assert response.status_code == 303, response.content.decode()[:3000]
    response = client.post(f"{BASE}/check-answers", {})
    assert response.headers["Location"] == f"{BASE}/confirmation"
