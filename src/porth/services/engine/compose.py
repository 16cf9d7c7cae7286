"""The words of a message to an applicant: a definition's template filled in with the answers,
the case and Porth's own values; and where to send it.

Used when something happens that the applicant hears about (the notifications app writes the
message then; nothing here runs on a citizen's page). Plain Python: the template's syntax and
its load-time checks are in ``porth.services.definition`` (placeholders.py, templates.py).
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from porth.services import questions
from porth.services.definition import Definition, Scope, placeholders
from porth.services.definition.conditions import PLACEHOLDER_VARIABLES
from porth.services.definition.defaults import template_for
from porth.services.definition.templates import BUILT_IN
from porth.services.questions.dates import long_date

from .journey import cel_answers


@dataclass(frozen=True)
class Rendered:
    """A message ready to send: `subject` is one line ("" for a text message)."""

    subject: str
    body: str


class MissingValue(Exception):
    """A placeholder has no value for this message, such as an optional question that was not
    answered. `placeholder`: its name as the template writes it; `message`: plain English for
    staff."""

    def __init__(self, template: str, placeholder: str, *, porths: bool = False) -> None:
        self.template = template
        self.placeholder = placeholder
        whose = "this message" if porths else "this application"
        self.message = (
            f"The template ‘{template}’ needs (({placeholder})), which {whose} does not have"
        )
        super().__init__(self.message)


def compose(
    definition: Definition,
    event: str,
    kind: Literal["email", "sms"],
    language: str,
    *,
    answers: Mapping[str, Any],
    case: Mapping[str, Any],
    extra: Mapping[str, str | date],
) -> Rendered | None:
    """The message sent on `event` by `kind`, in `language` (English where the template has
    no Welsh), or None when the definition sends none.

    `answers`: the submission's answers as stored; `case`: reference, status, queue,
    submitted_on, due_on (strings, dates as "YYYY-MM-DD"; empty for a journey saved for
    later); `extra`: Porth's own placeholders for the event (`templates.BUILT_IN`) as text;
    a date (a `date`, or text "YYYY-MM-DD") is written as GOV.UK writes it in the language
    ("4 June 2025", "4 Mehefin 2025"; a datetime by its date, so give it in local time). `service_name`, and `reference` when the case has one, are
    filled in if not given. Raises MissingValue when a placeholder has no value."""
    found = template_for(definition, event)
    if found is None:
        return None
    name, template = found
    part = template.email if kind == "email" else template.sms
    if part is None:
        return None
    values = _Values(definition, name, language, answers, case, extra)
    if kind == "email" and template.email is not None:
        # One line whatever the answers hold: a line break would end an email's Subject header.
        subject = " ".join(
            placeholders.render(template.email.subject.get(language), values).split()
        )
    else:
        subject = ""
    body = placeholders.render(part.body.get(language), values)
    # Optional text left out would leave its paragraph's blank lines behind.
    return Rendered(subject=subject, body=_BLANK_LINES.sub("\n\n", body).strip())


def contact(
    definition: Definition, answers: Mapping[str, Any]
) -> tuple[Literal["email", "sms"], str] | None:
    """How to reach the applicant: by email if they gave an address, otherwise by text message
    if they gave a phone number (`contact` in the definition), or None."""
    given = definition.contact
    if given is None:
        return None
    if given.email is not None and (address := answers.get(given.email)):
        return "email", str(address)
    if given.phone is not None and (number := answers.get(given.phone)):
        return "sms", str(number)
    return None


_BUILT_IN = {placeholders.normalise(name): name for name in BUILT_IN}
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SERVICE_NAME, _REFERENCE = placeholders.normalise("service_name"), "reference"
_MISSING = object()
_YES_NO = {"en": ("Yes", "No"), "cy": ("Ie", "Na")}


class _Values:
    """Each placeholder's value for one message (`placeholders.render` calls it)."""

    def __init__(
        self,
        definition: Definition,
        template: str,
        language: str,
        answers: Mapping[str, Any],
        case: Mapping[str, Any],
        extra: Mapping[str, str | date],
    ) -> None:
        self.definition, self.template, self.language = definition, template, language
        self.answers = answers
        self.case = {key: str(value) for key, value in case.items() if value is not None}
        self.extra = {placeholders.normalise(key): value for key, value in extra.items()}
        self.given = {placeholders.normalise(name): name for name in definition.placeholders}
        self.questions = {placeholders.normalise(q): q for q in definition.questions}
        self._scope: Scope | None = None

    def __call__(self, placeholder: placeholders.Placeholder) -> str:
        value, words = self._value(placeholder.key)
        if placeholder.text is not None:  # optional text: shown, or left out; never missing
            return placeholder.text if placeholders.shows(value) else ""
        try:
            text = "" if value is _MISSING else words(value)
        except Exception:  # an answer its question cannot read (a value it never offered)
            text = ""
        if not text.strip():
            porths = placeholder.key in _BUILT_IN
            raise MissingValue(self.template, placeholder.name, porths=porths)
        return text

    def _value(self, key: str) -> tuple[Any, Callable[[Any], str]]:
        """The raw value (_MISSING if none) and how to put it in words."""
        if key in _BUILT_IN:
            value = self.extra.get(key)
            if value is None and key == _SERVICE_NAME:
                value = self.definition.name.get(self.language)
            elif value is None and key == _REFERENCE:
                value = self.case.get("reference")
            return (_MISSING if value is None else value), self._words
        if key in self.given:
            source = self.definition.placeholders[self.given[key]]
            try:
                value = self._cel().evaluate(self.definition.program(source, PLACEHOLDER_VARIABLES))
            except Exception:  # a missing answer, or a type error: no value
                return _MISSING, self._words
            return (_MISSING if value is None else value), self._words
        if key in self.questions:
            question = self.definition.question(self.questions[key])[1]
            value = self.answers.get(question.id)
            if value is None or value == "" or value == []:
                return _MISSING, self._words
            qtype = questions.get(question.type)

            def answer(value: Any) -> str:
                shown = qtype.display(question, value, self.language)
                # An answer typed on one line (an address, a list of choices) reads on one.
                return shown if qtype.multiline else ", ".join(shown.splitlines())

            return value, answer
        return _MISSING, self._words

    def _cel(self) -> Scope:
        if self._scope is None:
            answers = cel_answers(self.definition, self.answers, self.definition.questions)
            self._scope = Scope(answers, date.today(), self.case)
        return self._scope

    def _words(self, value: Any) -> str:
        """A value from Porth or from an expression, as text in the message's language."""
        if isinstance(value, bool):
            return _YES_NO.get(self.language, _YES_NO["en"])[0 if value else 1]
        if isinstance(value, datetime):
            return long_date(value.date(), self.language)
        if isinstance(value, date):
            return long_date(value, self.language)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, list | tuple):
            return ", ".join(filter(None, (self._words(item) for item in value)))
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            # Dates are "YYYY-MM-DD" in expressions (answers, case.due_on): written in words.
            try:
                return long_date(date.fromisoformat(value), self.language)
            except ValueError:
                return value
        return str(value)
