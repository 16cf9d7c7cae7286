"""A definition's YAML text, read within limits: its size, its nesting, and no aliases.

A definition comes from people, and a mistaken or hostile file must be refused quickly with
the line to look at, not exhaust memory or the Python stack. So the YAML events are checked
before anything is built from them: the parser itself keeps no Python recursion, whereas
composing nodes, mapping lines and validating all recurse once per level of nesting.

YAML aliases (``*name``, repeating an ``&name`` anchor) are refused outright. Each alias can
stand for a whole tree, so a few lines can stand for billions of values (the "billion laughs");
and every alias of a large anchor is copied again when the definition is hashed for its version.
Counting expansions would bound that, but nothing in a definition needs aliases: repeated
options or texts are clearer written out, and a reviewer reads every line as it is.
"""

from pathlib import Path

import yaml

MAX_BYTES = 1_000_000
MAX_BYTES_SHOWN = "1 MB"
# Levels of mappings and lists inside each other. A definition uses about eight (pages, a
# page, its fields, a field, its rules, a rule, its message, the message's texts).
MAX_DEPTH = 20

_OPENING = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSING = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class SourceError(ValueError):
    """The text cannot be read as a definition; `line` (1-based) when there is one to show."""

    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message)


def _too_large(size: int) -> SourceError:
    return SourceError(
        None,
        f"is larger than {MAX_BYTES_SHOWN} ({size:,} bytes), the most a definition may be",
    )


def read(path: Path) -> str:
    """The text of a definition file, which must be UTF-8 and at most MAX_BYTES long."""
    with path.open("rb") as file:
        data = file.read(MAX_BYTES + 1)  # no more: a larger file is refused unread
    if len(data) > MAX_BYTES:
        raise _too_large(path.stat().st_size)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise SourceError(
            line,
            f"is not UTF-8 text: byte 0x{data[error.start]:02x} at column {column} "
            "(save the file as UTF-8)",
        ) from None


def compose(text: str) -> yaml.Node | None:
    """The YAML node tree of a definition's text, once the text is known to be within limits.

    Raises SourceError for text over the limits and yaml.YAMLError for text that is not YAML.
    """
    # Characters first: a character is at least a byte, so no huge text is encoded.
    size = len(text) if len(text) > MAX_BYTES else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise _too_large(size)
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent):
            raise SourceError(
                line,
                f"uses the YAML alias *{event.anchor}: aliases are not allowed in a "
                "definition; write the value out in full",
            )
        if isinstance(event, _OPENING):
            depth += 1
            if depth > MAX_DEPTH:
                raise SourceError(
                    line, f"has mappings or lists nested more than {MAX_DEPTH} levels deep"
                )
        elif isinstance(event, _CLOSING):
            depth -= 1
    return yaml.compose(text, Loader=yaml.SafeLoader)
