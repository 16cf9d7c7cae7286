"""The question-type registry: each type parses what a citizen typed and says what is wrong.

Plain Python (no Django): the engine validates with it, and so can any other caller. Errors
are codes with parameters; ``messages.py`` turns them into words in the citizen's language.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from porth.services.definition.models import Question, Text

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
    """One kind of question. Subclasses are registered by their `type` name."""

    name: ClassVar[str]
    template: ClassVar[str]  # Jinja template under templates/questions/
    verb: ClassVar[str] = "enter"  # "enter" or "select": how the required message starts
    parts: ClassVar[tuple[str, ...]] = ()  # sub-inputs, named "<id>-<part>"

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

    @abstractmethod
    def parse(self, question: Question, form: Raw) -> Any | Invalid:
        """Turn a non-empty input into the answer to keep, or say why it is refused."""

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
