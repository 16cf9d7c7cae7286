"""Placeholders in message templates, written as GOV.UK Notify writes them.

``((first_name))`` is replaced by a value; ``((has_partner??Tell us about your partner.))`` is
optional text, shown only when the value is yes or true. The syntax is Notify's own
(notifications-utils' ``Field``), so that people who write Notify templates can write these:

- a placeholder is ``((``, one or more characters that are not brackets, then ``))``; other
  brackets are plain text;
- the name is what comes before the first ``??``; everything after it is the optional text
  (which may itself hold ``??``, but no brackets: placeholders do not nest);
- names match ignoring case, spaces, hyphens and underscores: ``(( First name ))``,
  ``((first-name))`` and ``((FIRST_NAME))`` are all ``first_name``;
- optional text shows when the value is true, or text Notify reads as yes (``yes``, ``y``,
  ``true``, ``t``, ``1``, ``include``, ``show``, in any case).

Rendering is one pass over the template: a value is put in as it is and never read again, so
an answer that looks like a placeholder stays words, and nothing is escaped (messages are
plain text).
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

PATTERN = re.compile(r"\(\(([^()]+)\)\)")
# Where someone began a placeholder and did not finish it: "((name)" or "((name".
_UNCLOSED = re.compile(r"\(\([^()]*(?:\)(?!\))|\(|$)")
_IGNORED = str.maketrans("", "", " _-")
_YES = frozenset({"yes", "y", "true", "t", "1", "include", "show"})


def normalise(name: str) -> str:
    """The name as placeholders are matched: without case, spaces, hyphens or underscores."""
    return name.translate(_IGNORED).lower()


@dataclass(frozen=True, slots=True)
class Placeholder:
    name: str  # as written, without the spaces around it
    text: str | None  # the optional text of ((name??text)); None for ((name))
    start: int  # where it is in the template
    end: int

    @property
    def key(self) -> str:
        return normalise(self.name)

    @property
    def optional(self) -> bool:
        return self.text is not None

    def __str__(self) -> str:
        """How error messages show it: ((name)), or ((name??…)) for optional text."""
        return f"(({self.name}??…))" if self.optional else f"(({self.name}))"


def _placeholder(match: re.Match[str]) -> Placeholder:
    name, separator, text = match.group(1).partition("??")
    return Placeholder(name.strip(), text if separator else None, match.start(), match.end())


def find(template: str) -> Iterator[Placeholder]:
    """The placeholders of a template, in order."""
    for match in PATTERN.finditer(template):
        yield _placeholder(match)


def fixed_length(template: str) -> int:
    """How many characters of the template are not placeholders: the least it renders to."""
    return len(PATTERN.sub("", template))


def unclosed(template: str) -> int | None:
    """Where a placeholder is begun and not finished (``((name)``), if anywhere: Notify would
    send it as it is, which is never what was meant."""
    rest = PATTERN.sub(lambda m: " " * len(m.group()), template)
    found = _UNCLOSED.search(rest)
    return found.start() if found else None


def shows(value: Any) -> bool:
    """Whether optional text shows for this value: true, or text Notify reads as yes."""
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() in _YES


def render(template: str, value: Callable[[Placeholder], str]) -> str:
    """The template with each placeholder replaced by `value(placeholder)`, in one pass.

    `value` decides what optional text becomes (its text, or nothing: see `shows`) and raises
    when a value is missing."""
    return PATTERN.sub(lambda match: value(_placeholder(match)), template)
