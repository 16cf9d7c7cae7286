"""What a load-time check reports, and the checks every CEL expression of a definition gets.

Each problem names the path inside the definition, e.g. ``pages[3].next[0].goto``; the
loader adds the file and line.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from .conditions import (
    CASE_FIELDS,
    VARIABLES,
    ConditionError,
    compile_expression,
    referenced_case_fields,
    referenced_fields,
)
from .models import Definition


@dataclass(frozen=True)
class Problem:
    path: str
    message: str


def expression_problems(
    definition: Definition, path: str, source: str, variables: frozenset[str] = VARIABLES
) -> list[Problem]:
    try:
        compile_expression(source, variables)
    except ConditionError as error:
        return [Problem(path, f"{source!r} {error}")]
    unknown = referenced_fields(source) - definition.questions.keys()
    if unknown:
        names = ", ".join(sorted(unknown))
        return [Problem(path, f"{source!r} refers to unknown question {names}")]
    if "case" in variables and (not_case := referenced_case_fields(source) - set(CASE_FIELDS)):
        names = ", ".join(f"case.{name}" for name in sorted(not_case))
        return [
            Problem(path, f"{source!r} refers to {names}; a case has {listed(CASE_FIELDS, 'and')}")
        ]
    return []


def listed(words: Iterable[str], last: str = "or") -> str:
    """`a`, `a or b`, `a, b or c`."""
    items = list(words)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"
