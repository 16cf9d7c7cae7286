"""Submissions, cases and templates for the notification tests.

`templates` stands in for the definition's templates (porth.services.service.compose and
contact, written at the same time by the templates work): the tests of delivery are about
what happens to a message, not about its words, so they say what compose gives and see
what the receivers made of it.
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


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


class MissingValue(Exception):
    def __init__(self, placeholder: str) -> None:
        self.placeholder = placeholder
        self.message = f"There is no value for ((({placeholder}))) in this application."
        super().__init__(self.message)


@dataclass
class Templates:
    """compose() and contact() as the definition would answer them, recorded."""

    missing: str | None = None  # compose says this placeholder has no value
    error: Exception | None = None  # compose fails with this
    events: set[str] | None = None  # events with a template (None: all of them)
    calls: list[dict[str, Any]] = field(default_factory=list)

    def compose(
        self,
        definition: Definition,
        event: str,
        kind: str,
        language: str,
        *,
        answers: dict[str, Any],
        case: dict[str, Any],
        extra: dict[str, Any],
    ) -> Rendered | None:
        self.calls.append(
            {"event": event, "kind": kind, "language": language, "case": case, "extra": extra}
        )
        if self.error is not None:
            raise self.error
        if self.missing is not None:
            raise MissingValue(self.missing)
        if self.events is not None and event not in self.events:
            return None
        words = " ".join(f"{key}={value}" for key, value in sorted(extra.items()))
        subject = f"{event} {extra.get('reference', '')}".strip() if kind == "email" else ""
        return Rendered(subject=subject, body=f"[{language}] {words}")

    def contact(self, definition: Definition, answers: dict[str, Any]) -> tuple[str, str] | None:
        if answers.get("email"):
            return "email", str(answers["email"])
        if answers.get("phone"):
            return "sms", str(answers["phone"])
        return None


@pytest.fixture
def templates(monkeypatch: pytest.MonkeyPatch) -> Iterator[Templates]:
    stand_in = Templates()
    monkeypatch.setattr(services, "compose", stand_in.compose, raising=False)
    monkeypatch.setattr(services, "contact", stand_in.contact, raising=False)
    monkeypatch.setattr(services, "MissingValue", MissingValue, raising=False)
    monkeypatch.setattr(services, "Rendered", Rendered, raising=False)
    yield stand_in
