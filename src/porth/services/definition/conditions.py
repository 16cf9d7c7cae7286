"""Conditions and custom rules, written in CEL (Common Expression Language).

Expressions are compiled once when a definition is loaded and evaluated by the Rust core of
`common-expression-language`: no Python `eval`, no access to anything but the answers.

What an expression sees:
- ``answers``: a map from field id to answer (strings; numbers and money as numbers; dates as
  ``"YYYY-MM-DD"`` strings, which compare correctly; checkboxes as lists; yes/no as booleans).
- ``today``: today's date as ``"YYYY-MM-DD"``.
- ``age(date)``: whole years from that date to today.
- ``case`` (only in a template's ``placeholders``): the case's ``reference``, ``status``,
  ``queue``, ``submitted_on`` and ``due_on`` (strings; dates as ``"YYYY-MM-DD"``).

What an expression may call, and how much work it may ask for, is bounded in ``limits.py``.

A question that has not been answered is absent from ``answers``: an expression that reads it
fails, and a failed condition counts as false (so ``has(answers.x)`` is rarely needed).
"""

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

import cel

from . import limits

VARIABLES = frozenset({"answers", "today"})
# What a template's placeholder expression sees as well: the case, once there is one.
CASE_FIELDS = ("reference", "status", "queue", "submitted_on", "due_on")
PLACEHOLDER_VARIABLES = VARIABLES | {"case"}
_FIELD_REFERENCE = re.compile(
    r"""\banswers\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*["']([^"']+)["']\s*\])"""
)
_CASE_REFERENCE = re.compile(
    r"""\bcase\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*["']([^"']+)["']\s*\])"""
)


class ConditionError(ValueError):
    """An expression that cannot be compiled, or reads something it may not."""


def compile_expression(source: str, variables: frozenset[str] = VARIABLES) -> "cel.Program":
    """The compiled program; `variables`: what it may read (PLACEHOLDER_VARIABLES adds
    the case)."""
    if len(source) > limits.MAX_LENGTH:
        raise ConditionError(f"is longer than {limits.MAX_LENGTH} characters")
    try:
        program = cel.compile(source)
    except (ValueError, RuntimeError) as error:
        raise ConditionError(f"is not a valid CEL expression: {error}") from None
    try:
        limits.check_functions(program.functions())
        bound = set(limits.comprehensions(source))
    except limits.LimitError as error:
        raise ConditionError(str(error)) from None
    if bound & variables:
        names = ", ".join(sorted(bound & variables))
        raise ConditionError(f"uses {names} as a comprehension's variable: choose another name")
    unknown = set(program.variables()) - variables - bound
    if unknown:
        case = ", case.<field>" if "case" in variables else ""
        raise ConditionError(
            f"refers to {', '.join(sorted(unknown))}; expressions can only use "
            f"answers.<field id>{case}, today and age()"
        )
    return program


def referenced_fields(source: str) -> set[str]:
    """The field ids an expression reads (``answers.x`` or ``answers["x"]``)."""
    return {a or b for a, b in _FIELD_REFERENCE.findall(source)}


def referenced_case_fields(source: str) -> set[str]:
    """The case fields an expression reads (``case.x`` or ``case["x"]``)."""
    return {a or b for a, b in _CASE_REFERENCE.findall(source)}


def age(born: str, today: date | None = None) -> int:
    today = today or date.today()
    try:
        birth = date.fromisoformat(born)
    except (TypeError, ValueError):
        raise ValueError("age() needs a date") from None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


class Scope:
    """The answers and today's date, converted for CEL once and shared by many expressions
    (and, for a template's placeholders, the case)."""

    __slots__ = ("_context",)

    def __init__(
        self, answers: Mapping[str, Any], today: date, case: Mapping[str, str] | None = None
    ) -> None:
        variables: dict[str, Any] = {"answers": dict(answers), "today": today.isoformat()}
        if case is not None:
            variables["case"] = dict(case)
        self._context = cel.Context(variables, {"age": lambda born: age(born, today)})

    def evaluate(self, program: "cel.Program") -> Any:
        """Raises on a missing answer or a type error: callers decide what that means."""
        return program.execute(self._context)

    def holds(self, program: "cel.Program") -> bool:
        """A condition: true only if it evaluates to exactly true; errors count as false."""
        try:
            return self.evaluate(program) is True
        except Exception:
            return False
