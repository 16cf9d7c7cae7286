"""Validate the answers posted from one page: each question's type, then its rules."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from porth.services import questions
from porth.services.definition import Definition, Page, Question, Scope
from porth.services.definition.bounds import today_bound
from porth.services.definition.conditions import referenced_fields
from porth.services.definition.models import Rule
from porth.services.definition.patterns import matches
from porth.services.questions import Invalid, Raw

from .journey import State, cel_answers


@dataclass(frozen=True)
class FieldError:
    """One refused answer: which question, which input to link to, and why."""

    question: Question
    invalid: Invalid

    @property
    def anchor(self) -> str:
        """The id of the input the error summary links to (the first radio or checkbox of a
        group carries the bare question id)."""
        parts = questions.get(self.question.type).parts
        if parts:
            return f"{self.question.id}-{self.invalid.part or parts[0]}"
        return self.question.id

    @property
    def parts(self) -> list[str]:
        """Which inputs of a multi-input question to mark as wrong."""
        every = list(questions.get(self.question.type).parts)
        if self.invalid.code == "date_missing":
            return list(self.invalid.params["parts"])
        if self.invalid.part:
            return [self.invalid.part]
        return every if self.question.type == "date" else every[:1]


@dataclass
class PageResult:
    values: dict[str, Any] = field(default_factory=dict)  # the answers that were accepted
    raw: dict[str, Any] = field(default_factory=dict)  # what was typed, to show it again
    errors: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _rule_fails(rule: Rule, question: Question, value: Any, today: date) -> Invalid | None:
    kind = rule.kind
    qtype = questions.get(question.type)
    if kind in {"min_length", "max_length"}:
        limit = getattr(rule, kind)
        size = qtype.length(value)
        if (size < limit) if kind == "min_length" else (size > limit):
            code = (
                ("too_few" if kind == "min_length" else "too_many")
                if question.type == ("checkboxes")
                else ("too_short" if kind == "min_length" else "too_long")
            )
            return Invalid(code, {"limit": limit}, message=rule.message)
    elif kind in {"min", "max"}:
        limit = getattr(rule, kind)
        number = Decimal(str(value))
        if (number < limit) if kind == "min" else (number > limit):
            shown = f"£{limit:,.2f}" if question.type == "money" else f"{limit:,}"
            return Invalid(
                "too_small" if kind == "min" else "too_big", {"limit": shown}, message=rule.message
            )
    elif kind == "pattern":
        if not matches(rule.regex, str(value)):
            return Invalid("pattern", message=rule.message)
    elif kind in {"before", "after"}:
        bound = today_bound(getattr(rule, kind), today)
        answer = date.fromisoformat(value)
        if (answer >= bound) if kind == "before" else (answer <= bound):
            code = f"date_{kind}"
            if getattr(rule, kind) == "today":
                code += "_today"
            return Invalid(code, {"date": bound}, message=rule.message)
    return None


def validate_page(
    definition: Definition, page: Page, form: Raw, state: State, today: date
) -> PageResult:
    """Check every question on a page; custom rules see the other answers too."""
    result = PageResult()
    for question in page.fields:
        qtype = questions.get(question.type)
        typed = qtype.raw(question, form)
        result.raw.update(typed)
        if not any(typed.values()):  # nothing typed in any of its inputs
            if question.required:
                message = question.messages.get("required")
                result.errors.append(FieldError(question, Invalid("required", message=message)))
            else:
                result.values[question.id] = None
            continue
        value = qtype.accept(question, form, typed)
        if isinstance(value, Invalid):
            if question.messages.get("invalid") and value.code != "date_missing":
                value = Invalid(value.code, value.params, value.part, question.messages["invalid"])
            result.errors.append(FieldError(question, value))
            continue
        failed = next(
            (
                f
                for rule in question.rules
                if rule.kind != "when"
                if (f := _rule_fails(rule, question, value, today))
            ),
            None,
        )
        if failed:
            result.errors.append(FieldError(question, failed))
            continue
        result.values[question.id] = value
    custom = [(q, r) for q in page.fields for r in q.rules if r.when is not None]
    if custom and not result.errors:
        answers = {**state.answers, **result.values}
        read = set().union(*(referenced_fields(rule.when or "") for _, rule in custom))
        scope = Scope(cel_answers(definition, answers, read), today)
        for question, rule in custom:
            if result.values.get(question.id) is None:
                continue
            if scope.holds(definition.program(rule.when or "")):
                result.errors.append(FieldError(question, Invalid("custom", message=rule.message)))
                result.values.pop(question.id)
    return result
