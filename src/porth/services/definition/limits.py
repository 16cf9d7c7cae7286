"""What a CEL expression in a definition may call, and how much work it may ask for.

The CEL library compiles an expression and names the functions it calls, but offers no limit
on the work an evaluation does, and cannot be interrupted once it runs. So the bounds are
static, checked when a definition loads:

- Only known functions: Porth's helpers and CEL's standard functions. An unknown one would
  fail at every evaluation, and a failed condition silently counts as false.
- Comprehensions (``all``, ``exists``, ``exists_one``, ``map``, ``filter``) run their body once
  per element, so nesting multiplies: at most two nested. ``map`` and ``filter`` build a list,
  copying it at each step, and chained ones multiply what they build: one per expression,
  not inside another comprehension.
- A comprehension goes only over a list of bounded size (an answer, a part of one, a list
  written out, what a ``map`` made), its body adds nothing (``+`` would build lists at every
  step), and a nested one does not read the answers (``y in answers.x`` at every step of two
  nested loops). Within these, the work of an expression is a few million steps at most.
- The expression's length (``MAX_LENGTH``) bounds the lists it can write and the work in each
  step; the lists it reads from the answers are a checkboxes question's, at most
  ``models.MAX_CHECKBOXES`` long.

The library exposes no syntax tree, so comprehensions are found with a tokenizer that knows
CEL's string literals (so that ``"x.all("`` in a string is not taken for one).
"""

import re
from collections.abc import Iterator

MAX_LENGTH = 500
MAX_NESTING = 2
MAX_BUILDERS = 1

HELPERS = ("age",)
STANDARD = (
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "matches",
    "int",
    "uint",
    "double",
    "string",
    "bytes",
    "timestamp",
    "duration",
    "type",
    "dyn",
    "getFullYear",
    "getMonth",
    "getDate",
    "getDayOfMonth",
    "getDayOfWeek",
    "getDayOfYear",
    "getHours",
    "getMinutes",
    "getSeconds",
    "getMilliseconds",
)
PREDICATES = ("all", "exists", "exists_one")
BUILDERS = ("map", "filter")
MACROS = ("has", *PREDICATES, *BUILDERS)
KNOWN = frozenset(HELPERS + STANDARD)

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Raw strings (r"...") take no escapes; other strings do. Triple quotes may span lines.
_TOKEN = re.compile(
    r"""
    (?P<string>
        (?:[rR][bB]?|[bB][rR]) (?: \"\"\"[\s\S]*?\"\"\" | '''[\s\S]*?''' | "[^"\n]*" | '[^'\n]*' )
      | [bB]? (?: \"\"\"(?:\\[\s\S]|[^\\])*?\"\"\" | '''(?:\\[\s\S]|[^\\])*?'''
               | "(?:\\.|[^"\\\n])*" | '(?:\\.|[^'\\\n])*' )
    )
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<space>\s+)
    | (?P<other>.)
    """,
    re.VERBOSE,
)


class LimitError(ValueError):
    """An expression that calls something unknown or asks for too much work."""


def _tokens(source: str) -> Iterator[tuple[str, str]]:
    for match in _TOKEN.finditer(source):
        kind = match.lastgroup or "other"
        if kind != "space":
            yield kind, match.group()


def _called(name: str) -> str:
    return f"{name}()"


def known_functions() -> str:
    helpers = ", ".join(map(_called, HELPERS))
    standard = ", ".join(map(_called, STANDARD))
    macros = ", ".join(map(_called, MACROS))
    return f"Porth's {helpers} and today; CEL's {standard}; and the macros {macros}"


def check_functions(functions: list[str]) -> None:
    """`functions`: the names the CEL library says an expression calls (operators included,
    which are not names: ``_+_``, ``@in``)."""
    unknown = [f for f in functions if _NAME.fullmatch(f) and f not in KNOWN]
    if unknown:
        names = ", ".join(map(_called, unknown))
        many = "s" if len(unknown) > 1 else ""
        raise LimitError(
            f"calls unknown function{many} {names}; expressions can use {known_functions()}"
        )


def _matching_open(tokens: list[tuple[str, str]], close: int) -> int:
    """The index of the bracket that the one at `close` closes (-1 if none)."""
    pairs = {")": "(", "]": "["}
    depth = 0
    for j in range(close, -1, -1):
        kind, text = tokens[j]
        if kind != "other":
            continue
        if text in pairs:
            depth += 1
        elif text in pairs.values():
            depth -= 1
            if depth == 0:
                return j
    return -1


def _target_is_bounded(tokens: list[tuple[str, str]], end: int, bound: list[str]) -> bool:
    """Whether the comprehension's target, ending at token `end`, is a list of bounded size:
    an answer (``answers.x``, ``answers["x"]``, at most a checkboxes question's options), a
    variable another comprehension bound (a part of such a list), a literal list with no
    answers in it (bounded by the expression's length), or what a ``map``/``filter`` made."""
    if end < 0:
        return False
    kind, text = tokens[end]
    if kind == "name":
        start = end
        while start >= 2 and tokens[start - 1][1] == "." and tokens[start - 2][0] == "name":
            start -= 2
        return tokens[start][1] == "answers" or tokens[start][1] in bound
    if text == "]":
        opening = _matching_open(tokens, end)
        if opening < 0:
            return False
        if opening > 0 and tokens[opening - 1][0] == "name":  # answers["x"], v[0]
            return _target_is_bounded(tokens, opening - 1, bound)
        inside = tokens[opening + 1 : end]
        return not any(t == ("name", "answers") or t == ("other", "+") for t in inside)
    if text == ")":
        opening = _matching_open(tokens, end)
        return opening >= 2 and tokens[opening - 1][1] in BUILDERS and tokens[opening - 2][1] == "."
    return False


def comprehensions(source: str) -> list[str]:
    """The variables that the expression's comprehensions bind (``x`` in ``l.all(x, …)``).

    Raises LimitError for comprehensions nested too deeply, a list built inside one, a
    comprehension over a list that could be long (a concatenation, say), ``+`` inside one,
    or the answers read inside a nested one: each multiplies the work of every step, and an
    evaluation cannot be stopped once it runs."""
    tokens = list(_tokens(source))
    bound: list[str] = []
    builders = 0
    # For each open bracket, the comprehension it opens, if it does.
    stack: list[str | None] = []
    for i, (kind, text) in enumerate(tokens):
        depth = sum(1 for m in stack if m is not None)
        if depth and (kind, text) == ("other", "+"):
            raise LimitError("adds (+) inside a comprehension (all, exists, map…): too much work")
        if depth >= 2 and (kind, text) == ("name", "answers"):
            raise LimitError(
                "reads answers inside a nested comprehension: go over the answer in the outer "
                "one instead"
            )
        if text in "([{" and kind == "other":
            macro = None
            if (
                text == "("
                and i >= 2
                and tokens[i - 1][0] == "name"
                and tokens[i - 1][1] in PREDICATES + BUILDERS
                and tokens[i - 2][1] == "."
            ):
                macro = tokens[i - 1][1]
                inside = [m for m in stack if m is not None]
                if len(inside) >= MAX_NESTING:
                    raise LimitError(
                        f"nests comprehensions (all, exists, map…) more than {MAX_NESTING} deep"
                    )
                if inside and macro in BUILDERS:
                    raise LimitError(
                        f"calls {macro}() inside {inside[-1]}(): a list built at every step "
                        "is too much work"
                    )
                if macro in BUILDERS:
                    builders += 1
                    if builders > MAX_BUILDERS:
                        raise LimitError(
                            f"calls map() or filter() more than {MAX_BUILDERS} time: "
                            "each builds a list, and one after another they multiply the work"
                        )
                if not _target_is_bounded(tokens, i - 3, bound):
                    raise LimitError(
                        f"calls {macro}() on a list that could be long: go over an answer "
                        "(answers.x), a variable of another comprehension, or a list written "
                        "out in the expression"
                    )
                if i + 1 < len(tokens) and tokens[i + 1][0] == "name":
                    bound.append(tokens[i + 1][1])
            stack.append(macro)
        elif text in ")]}" and kind == "other" and stack:
            stack.pop()
    return bound
