"""Messages to applicants: a definition's `contact`, `templates`, `placeholders` and `notify`.

```yaml
contact: {email: email, phone: phone}        # the questions that give the address
templates:
  confirmation:
    email:
      subject: {en: "Application received: ((reference))", cy: ...}
      body: {en: "Hello ((name)), ...", cy: ...}
    sms:
      body: {en: "We have your application ((reference)).", cy: ...}
placeholders:
  name: 'answers.applicant == "myself" ? answers.holder_name : answers.applicant_name'
notify:
  - {when: submitted, template: confirmation}
```

A placeholder's value is one of Porth's own (`BUILT_IN`, for the events that give it), a
`placeholders` expression, or the answer to the question of that id. Porth has templates of
its own (`defaults.py`) for the messages a service cannot do without; `notify` replaces them.
Checked when the definition loads (`template_checks.py`); rendered by
`porth.services.engine.compose`.
"""

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from .base import FieldId, Model, Text
from .limits import MAX_LENGTH

Event = Literal[
    "submitted", "information_requested", "approved", "rejected", "message", "saved_for_later"
]
EVENTS: tuple[Event, ...] = (
    "submitted",
    "information_requested",
    "approved",
    "rejected",
    "message",
    "saved_for_later",
)

# Porth's own placeholders, and the events whose messages have a value for them. A journey
# saved for later has no reference yet: it is given on submission.
BUILT_IN: dict[str, frozenset[str]] = {
    "service_name": frozenset(EVENTS),
    "reference": frozenset(EVENTS) - {"saved_for_later"},
    "message": frozenset({"information_requested", "rejected", "message"}),
    "reply_link": frozenset({"information_requested"}),
    "reply_by": frozenset({"information_requested"}),
    "resume_link": frozenset({"saved_for_later"}),
    "return_by": frozenset({"saved_for_later"}),
}

# A text message of more than 918 characters is refused by GOV.UK Notify (6 fragments).
SMS_MAX_CHARS = 918

TemplateName = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9]*([_-][a-z0-9]+)*$", max_length=60),
    Field(description="Lower-case words joined by underscores or hyphens."),
]


PlaceholderExpression = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_LENGTH),
    Field(
        description="A CEL expression over `answers` and `case` (reference, status, queue, "
        "submitted_on, due_on), and `today`, `age()`: the placeholder's value."
    ),
]


class Contact(Model):
    """Where the applicant hears from the service: an email address if they gave one,
    otherwise a phone number (by text message)."""

    email: FieldId | None = Field(default=None, description="An `email` question.")
    phone: FieldId | None = Field(default=None, description="A `phone` question.")

    @model_validator(mode="after")
    def _one_at_least(self) -> "Contact":
        if self.email is None and self.phone is None:
            raise ValueError("contact needs an email question, a phone question, or both")
        return self


class Email(Model):
    subject: Text = Field(description="One line; placeholders allowed.")
    body: Text = Field(
        description="Plain text, sent as it is: blank lines between paragraphs, `-` for "
        "lists, links written out in full."
    )


class Sms(Model):
    body: Text = Field(description=f"At most {SMS_MAX_CHARS} characters once filled in.")


class Template(Model):
    """A message, by email, by text message, or both: what is sent depends on how the
    applicant can be reached (`contact`)."""

    email: Email | None = None
    sms: Sms | None = None

    @model_validator(mode="after")
    def _a_kind_at_least(self) -> "Template":
        if self.email is None and self.sms is None:
            raise ValueError("a template needs an email, an sms, or both")
        return self

    def texts(self) -> Iterator[tuple[str, str]]:
        """(path inside the template, text) of each text, e.g. ("email.subject.cy", ...)."""
        found: list[tuple[str, Text]] = []
        if self.email is not None:
            found += [("email.subject", self.email.subject), ("email.body", self.email.body)]
        if self.sms is not None:
            found.append(("sms.body", self.sms.body))
        for where, text in found:
            yield f"{where}.en", text.en
            if text.cy is not None:
                yield f"{where}.cy", text.cy


class NotifyRule(Model):
    """Which template is sent when something happens."""

    when: Event = Field(
        description="submitted; information_requested, approved, rejected (the case's "
        "decision); message (a caseworker writes to the applicant); saved_for_later."
    )
    template: TemplateName
