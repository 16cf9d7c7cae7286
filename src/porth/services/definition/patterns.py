"""`pattern` rules: regular expressions compiled once with RE2 when a definition loads, and
matched in time linear in the answer.

Python's `re` backtracks: a pattern such as ``(a+)+b`` takes seconds, then hours, as the answer
grows by a few characters, and any definition may hold one. RE2 never backtracks, at the price
of the few features that need it (backreferences such as ``\\1``, lookaround such as ``(?=…)``):
a pattern that uses them is refused when the definition loads, with RE2's reason.
"""

from typing import Any

import re2

# Pattern rules are for short answers (reference numbers, codes); a longer answer does not
# match, whatever the pattern, so no answer is worth matching at length.
MAX_ANSWER = 10_000

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # the reason is in the exception; RE2 would also print it


def compile_pattern(pattern: str) -> Any:
    """The compiled pattern; ValueError saying why RE2 cannot compile it."""
    try:
        return re2.compile(pattern, _OPTIONS)
    except re2.error as error:
        reason = error.args[0] if error.args else ""
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ValueError(
            f"pattern is not a regular expression Porth can match: {reason} (patterns are "
            "RE2 expressions: no backreferences or lookaround)"
        ) from None


def matches(compiled: Any, answer: str) -> bool:
    """Whether the whole answer matches."""
    return len(answer) <= MAX_ANSWER and compiled.fullmatch(answer) is not None
