"""The question-type registry: each type parses what a citizen typed and says what is wrong.

Plain Python (no Django): the engine validates with it, and so can any other caller. Errors
are codes with parameters; ``messages.py`` turns them into words in the citizen's language.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from porth.services.definition.models import Question, Text
from porth.utils.text import has_control_characters, has_other_digits

# What a form post gives a question: the text of each of its inputs (lists for checkboxes).
Raw = Mapping[str, str | list[str]]


@dataclass(frozen=True)
class Invalid:
    """Why an answer was refused: a message code and what the message needs."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    part: str | None = None  # which input of a multi-input question to link to (e.g. "day")
    message: Text | None = None  # the definition's own words, when it gave them


class QuestionType(ABC):
    """One kind of question. Subclasses are registered by their `type` name.

    `accept` checks what every type must before `parse` reads an input: that it is no longer
    than the type reads (so no parser, `int()`, `Decimal` or regular expression, ever works
    on text of unbounded length), and that it holds no control characters, nor digits other
    than 0 to 9 where the type reads digits.
    """

    name: ClassVar[str]
    template: ClassVar[str]  # Jinja template under templates/questions/
    verb: ClassVar[str] = "enter"  # "enter" or "select": how the required message starts
    parts: ClassVar[tuple[str, ...]] = ()  # sub-inputs, named "<id>-<part>"
    # The longest input (in characters, after trimming) this type reads: a default that
    # leaves room for any sensible answer; each type narrows it to what fits its answers.
    max_chars: ClassVar[int] = 500
    # Tabs and line breaks are kept only where a citizen can type them (a textarea).
    multiline: ClassVar[bool] = False
    # Whether digits other than 0 to 9 are refused: true wherever the type reads numbers or
    # codes; free text, which may quote anything, says false.
    ascii_digits: ClassVar[bool] = True
    # The codes of the errors for an input refused before parsing (too long; with characters
    # the type never takes). None gives the general ones: "must be N characters or fewer"
    # and "must not include hidden characters".
    too_long_code: ClassVar[str | None] = None
    unreadable_code: ClassVar[str | None] = None

    def keys(self, question: Question) -> list[str]:
        """The names of the inputs this question posts."""
        if self.parts:
            return [f"{question.id}-{part}" for part in self.parts]
        return [question.id]

    def raw(self, question: Question, form: Raw) -> dict[str, str]:
        """What was typed, trimmed, by input name (for re-showing it after an error)."""
        out = {}
        for key in self.keys(question):
            value = form.get(key, "")
            out[key] = value.strip() if isinstance(value, str) else ""
        return out

    def longest(self, question: Question, key: str) -> int:
        """The longest input `key` of this question may be (see `max_chars`)."""
        return self.max_chars

    def accept(
        self, question: Question, form: Raw, typed: Mapping[str, str] | None = None
    ) -> Any | Invalid:
        """The answer to keep, or why it is refused: each input checked (see the class), then
        `parse`d. Callers use this, never `parse` alone. `typed`: `raw(question, form)`, if
        the caller has it already."""
        inputs = self.raw(question, form) if typed is None else typed
        for key, value in inputs.items():
            for text in [value] if isinstance(value, str) else value:
                limit = self.longest(question, key)
                if len(text) > limit:
                    return self.refused(question, key, "too_long", {"limit": limit})
                if text.isascii() and text.isprintable():
                    continue  # what nearly everyone types: nothing more to look for
                if has_control_characters(text, multiline=self.multiline) or (
                    self.ascii_digits and has_other_digits(text)
                ):
                    return self.refused(question, key, "unreadable", {})
        return self.parse(question, form)

    def refused(
        self, question: Question, key: str, problem: str, params: Mapping[str, Any]
    ) -> Invalid:
        """The error for input `key` refused before parsing: `problem` is "too_long" or
        "unreadable" (a character the type never takes)."""
        own = self.too_long_code if problem == "too_long" else self.unreadable_code
        code = own or ("too_long" if problem == "too_long" else "control_characters")
        part = key.removeprefix(f"{question.id}-") if self.parts else None
        return Invalid(code, params, part=part)

    @abstractmethod
    def parse(self, question: Question, form: Raw) -> Any | Invalid:
        """Turn a non-empty input, already checked by `accept`, into the answer to keep, or
        say why it is refused."""

    def to_form(self, question: Question, value: Any) -> dict[str, Any]:
        """A kept answer as form inputs, to fill the page when the citizen comes back."""
        if self.parts:
            return {f"{question.id}-{part}": (value or {}).get(part, "") for part in self.parts}
        return {question.id: "" if value is None else str(value)}

    def to_cel(self, question: Question, value: Any) -> Any:
        """The answer as CEL sees it in conditions."""
        return value

    def display(self, question: Question, value: Any, language: str) -> str:
        """The answer as the check-your-answers page shows it."""
        return str(value)

    def length(self, value: Any) -> int:
        return len(value)


_REGISTRY: dict[str, QuestionType] = {}


def register(question_type: type[QuestionType]) -> type[QuestionType]:
    _REGISTRY[question_type.name] = question_type()
    return question_type


def get(name: str) -> QuestionType:
    return _REGISTRY[name]


def registered() -> list[str]:
    return sorted(_REGISTRY)
