"""Read service definitions from YAML, check them, and say exactly what is wrong.

A malformed definition is refused at load time with every problem named by file, line and
path inside the file (``services/blue-badge.yaml:42: pages[3].fields[0].type: ...``).
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from . import experiment_checks
from . import source as yaml_source
from .checks import Problem, check
from .models import Definition


@dataclass(frozen=True)
class Located:
    """A problem with the place it was found."""

    source: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class DefinitionError(ValueError):
    def __init__(self, problems: list[Located]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _path(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _lines(node: yaml.Node, prefix: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    """Map each path in the document to the line (1-based) where it starts."""
    out[prefix] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = (*prefix, key.value)
            _lines(value, path, out)
            out[path] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, (*prefix, i), out)


def _line_of(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int | None:
    while loc not in lines and loc:
        loc = loc[:-1]
    return lines.get(loc)


def _loc_of(path: str) -> tuple[Any, ...]:
    """`pages[3].fields[0].type` → ('pages', 3, 'fields', 0, 'type')."""
    loc: list[Any] = []
    for part in path.replace("[", ".[").split("."):
        if part.startswith("["):
            loc.append(int(part[1:-1]))
        elif part:
            loc.append(part)
    return tuple(loc)


def version_of(definition: Definition) -> str:
    """A short hash of the canonical form: equal for equal definitions, whatever the layout."""
    data = definition.model_dump(mode="json")
    if data.get("sign_in") == "off":
        # Added later with this default: a definition without it keeps the version it had,
        # so that journeys in progress are not moved to a "new" version on upgrade.
        del data["sign_in"]
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def parse(text: str, source: str = "<definition>") -> Definition:
    try:
        node = yaml_source.compose(text)
        data = yaml.safe_load(text)
    except yaml_source.SourceError as error:
        raise DefinitionError([Located(source, error.line, "", error.message)]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise DefinitionError([Located(source, line, "", f"is not valid YAML: {error}")]) from None
    if not isinstance(data, dict):
        raise DefinitionError([Located(source, 1, "", "a definition must be a YAML mapping")])
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _lines(node, (), lines)
    try:
        definition = Definition.model_validate(data)
    except ValidationError as error:
        problems = []
        for e in error.errors(include_url=False):
            loc = tuple(e["loc"])
            message = e["msg"].removeprefix("Value error, ")
            if e["type"] == "literal_error" and "expected" in e.get("ctx", {}):
                message = f"must be one of {e['ctx']['expected']}"
            problems.append(Located(source, _line_of(lines, loc), _path(loc), message))
        raise DefinitionError(problems) from None
    found: list[Problem] = check(definition)
    if found:
        raise DefinitionError(
            [Located(source, _line_of(lines, _loc_of(p.path)), p.path, p.message) for p in found]
        )
    definition.set_version(version_of(definition))
    definition.set_warnings(
        tuple(
            Located(source, _line_of(lines, _loc_of(p.path)), p.path, p.message)
            for p in experiment_checks.missing_welsh(definition)
        )
    )
    return definition


def load_file(path: Path) -> Definition:
    try:
        text = yaml_source.read(path)
    except yaml_source.SourceError as error:
        raise DefinitionError([Located(str(path), error.line, "", error.message)]) from None
    return parse(text, str(path))


def load_folder(folder: Path) -> dict[str, Definition]:
    """Every `*.yaml` in a folder, by slug. All problems in all files are reported together."""
    definitions: dict[str, Definition] = {}
    problems: list[Located] = []
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            definition = load_file(path)
        except DefinitionError as error:
            problems += error.problems
            continue
        if definition.slug in definitions:
            problems.append(Located(str(path), None, "slug", f"{definition.slug!r} is used twice"))
        definitions[definition.slug] = definition
    if problems:
        raise DefinitionError(problems)
    return definitions
