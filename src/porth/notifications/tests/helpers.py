"""Submissions, cases and templates for the notification tests.

The test service has templates of its own (a confirmation by email or text message, a
rejection with its reason; approvals send nothing); `templates` spies on compose and can
make it fail, as a template can at send time (a missing value) or as a fault in Porth would.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from porth.casework.models import Case
from porth.services import service as services
from porth.services.definition import Definition, parse
from porth.submissions import actions
from porth.submissions.models import Submission

SERVICE = """
slug: tell-us
name: {en: Tell us, cy: Dywedwch wrthym}
summary: {en: For tests, cy: Ar gyfer profion}
organisation: {id: test-council, name: {en: Test Council, cy: Cyngor Prawf}}
start: {body: {en: Start., cy: Dechrau.}}
declaration: {body: {en: True., cy: Gwir.}}
confirmation: {body: {en: Done., cy: Wedi gorffen.}}
pages:
  - id: name
    fields: [{id: full_name, type: text, label: {en: Name, cy: Enw}}]
  - id: contact
    title: {en: "How can we contact you?", cy: "Sut allwn ni gysylltu â chi?"}
    fields:
      - {id: email, type: email, label: {en: Email, cy: E-bost}, required: false}
      - {id: phone, type: phone, label: {en: Phone, cy: Ffôn}, required: false}
on_submit:
  - case: {queue: applications, sla: P10D, name: full_name}
contact: {email: email, phone: phone}
placeholders:
  decide_by: case.due_on
templates:
  confirmation:
    email:
      subject: {en: "Application received: ((reference))", cy: "Cais wedi dod i law: ((reference))"}
      body:
        en: "Dear ((full_name)), your reference is ((reference)). We will decide by ((decide_by))."
        cy: "Annwyl ((full_name)), eich cyfeirnod yw ((reference)). Byddwn yn penderfynu erbyn ((decide_by))."
    sms:
      body: {en: "We have your application, ((reference)).", cy: "Mae eich cais gennym, ((reference))."}
  rejected:
    email:
      subject: {en: "Your application ((reference))", cy: "Eich cais ((reference))"}
      body: {en: "We cannot accept it: ((message))", cy: "Ni allwn ei dderbyn: ((message))"}
    sms:
      body: {en: "Not accepted: ((message))", cy: "Heb ei dderbyn: ((message))"}
notify:
  - {when: submitted, template: confirmation}
  - {when: rejected, template: rejected}
"""


def definition() -> Definition:
    return parse(SERVICE, "tell-us.yaml")


def submit(answers: dict[str, Any], *, language: str = "en") -> Submission:
    """A journey with these answers, submitted as the citizen's last click would."""
    service = definition()
    journey = actions.new_journey(service, language=language)
    full = {"full_name": "Jo Bloggs", "email": None, "phone": None, **answers}
    state = services.engine.State(full, frozenset({"name", "contact"}))
    actions.save_state(journey, state, definition=service)
    return actions.submit(journey, service, language=language, today=date.today())


def case_of(submission: Submission) -> Case:
    return Case.objects.get(submission=submission)


@dataclass
class Templates:
    """compose() as the receivers call it, recorded, and made to fail when a test says."""

    missing: str | None = None  # compose says this placeholder has no value
    error: Exception | None = None  # compose fails with this (a fault in Porth)
    calls: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.real = services.compose

    def compose(
        self,
        definition: Definition,
        event: str,
        kind: Any,
        language: str,
        *,
        answers: dict[str, Any],
        case: dict[str, Any],
        extra: dict[str, Any],
    ) -> Any:
        self.calls.append(
            {"event": event, "kind": kind, "language": language, "case": case, "extra": extra}
        )
        if self.error is not None:
            raise self.error
        if self.missing is not None:
            raise services.MissingValue(event, self.missing)
        return self.real(definition, event, kind, language, answers=answers, case=case, extra=extra)


@pytest.fixture
def templates(monkeypatch: pytest.MonkeyPatch) -> Iterator[Templates]:
    spy = Templates()
    monkeypatch.setattr(services, "compose", spy.compose)
    yield spy
