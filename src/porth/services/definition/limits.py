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


def comprehensions(source: str) -> list[str]:
    """The variables that the expression's comprehensions bind (``x`` in ``l.all(x, …)``).

    Raises LimitError for comprehensions nested too deeply, or a list built inside one."""
    tokens = list(_tokens(source))
    bound: list[str] = []
    builders = 0
    # For each open bracket, the comprehension it opens, if it does.
    stack: list[str | None] = []
    for i, (kind, text) in enumerate(tokens):
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
                if i + 1 < len(tokens) and tokens[i + 1][0] == "name":
                    bound.append(tokens[i + 1][1])
            stack.append(macro)
        elif text in ")]}" and kind == "other" and stack:
            stack.pop()
    return bound
