"""The journey state machine: where a citizen is, where they go next, and what they said.

A journey's state is two things: the answers (field id → answer) and the pages the citizen
has finished. Everything else — the route, the next page, whether the journey is complete,
the check-your-answers rows — is worked out from the definition and that state, so it can
never disagree with it. Plain Python: no Django, no database.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from porth.services import questions
from porth.services.definition import CHECK_ANSWERS, Definition, Page, Question, Scope


@dataclass(frozen=True)
class State:
    answers: Mapping[str, Any] = field(default_factory=dict)
    done: frozenset[str] = frozenset()

    def to_json(self) -> dict[str, Any]:
        return {"answers": dict(self.answers), "done": sorted(self.done)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "State":
        return cls(dict(data.get("answers", {})), frozenset(data.get("done", ())))


@dataclass(frozen=True)
class Route:
    """The pages a citizen passes through, given their answers so far, from the first page to
    check-your-answers (or to an exit page, which ends the journey)."""

    pages: tuple[Page, ...]
    exit: bool  # ends on an exit page rather than check-your-answers

    @property
    def ids(self) -> list[str]:
        return [page.id for page in self.pages]


@dataclass(frozen=True)
class SummaryRow:
    page: Page
    question: Question
    value: Any


class _LazyScope:
    """Builds the CEL scope only when a condition is met: most pages have none."""

    __slots__ = ("_answers", "_definition", "_scope", "_today")

    def __init__(self, definition: Definition, answers: Mapping[str, Any], today: date) -> None:
        self._definition, self._answers, self._today = definition, answers, today
        self._scope: Scope | None = None

    def holds(self, expression: str) -> bool:
        if self._scope is None:
            self._scope = Scope(cel_answers(self._definition, self._answers), self._today)
        return self._scope.holds(self._definition.program(expression))


def cel_answers(definition: Definition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers as conditions see them; unanswered (or blank optional) questions are absent."""
    out = {}
    for field_id, value in answers.items():
        if value is None or field_id not in definition.questions:
            continue
        question = definition.questions[field_id][1]
        out[field_id] = questions.get(question.type).to_cel(question, value)
    return out


def _target(definition: Definition, index: int, page: Page, scope: _LazyScope) -> str:
    for rule in page.next:
        if rule.when is None or scope.holds(rule.when):
            return rule.goto
    following = index + 1
    return definition.pages[following].id if following < len(definition.pages) else CHECK_ANSWERS


def route(definition: Definition, state: State, today: date) -> Route:
    """Follow the branching from the first page with the answers given.

    A condition that reads an unanswered question is false, so the route past a page the
    citizen has not reached yet is the route they would take if nothing more applied.
    """
    scope = _LazyScope(definition, state.answers, today)
    positions = {page.id: i for i, page in enumerate(definition.pages)}
    pages: list[Page] = []
    index, seen = 0, set()
    while True:
        page = definition.pages[index]
        if page.id in seen:  # the loader refuses loops; this guards against a bad definition
            raise RuntimeError(f"the route loops at page {page.id!r}")
        seen.add(page.id)
        if page.when is None or scope.holds(page.when):
            pages.append(page)
            if page.kind == "exit":
                return Route(tuple(pages), exit=True)
        target = _target(definition, index, page, scope)
        if target == CHECK_ANSWERS:
            return Route(tuple(pages), exit=False)
        index = positions[target]


def prune(definition: Definition, state: State, today: date) -> State:
    """Drop the answers to pages no longer on the route: they must never be submitted.

    Dropping an answer can change the route again (a condition read it), so repeat until
    nothing changes; each round only removes, so this ends.
    """
    while True:
        on_route = {page.id for page in route(definition, state, today).pages}
        done = state.done & on_route
        answers = {
            field_id: value
            for field_id, value in state.answers.items()
            if field_id in definition.questions and definition.questions[field_id][0].id in done
        }
        if done == state.done and len(answers) == len(state.answers):
            return state
        state = State(answers, done)


def next_page(definition: Definition, state: State, today: date) -> str:
    """The first page on the route the citizen has not finished, or check-your-answers."""
    for page in route(definition, state, today).pages:
        if page.id not in state.done:
            return page.id
    return CHECK_ANSWERS


def reachable(definition: Definition, state: State, page_id: str, today: date) -> bool:
    """A citizen may open a page on the route up to the first one they have not finished:
    never one further on, never one off the route."""
    if page_id == CHECK_ANSWERS:
        return is_complete(definition, state, today)
    for page in route(definition, state, today).pages:
        if page.id == page_id:
            return True
        if page.id not in state.done:
            return False
    return False


def previous_page(definition: Definition, state: State, page_id: str, today: date) -> str | None:
    """The page before this one on the route (for the back link); None on the first page."""
    ids = route(definition, state, today).ids
    if page_id == CHECK_ANSWERS:
        return ids[-1] if ids else None
    position = ids.index(page_id) if page_id in ids else 0
    return ids[position - 1] if position > 0 else None


def is_complete(definition: Definition, state: State, today: date) -> bool:
    """Every page on the route is finished and the route ends at check-your-answers."""
    current = route(definition, state, today)
    return not current.exit and all(page.id in state.done for page in current.pages)


def complete(
    definition: Definition, state: State, page_id: str, values: Mapping[str, Any], today: date
) -> State:
    """Record a finished page's answers (already validated), then prune the route."""
    page = definition.page(page_id)
    answers = dict(state.answers)
    for question in page.fields:
        answers[question.id] = values.get(question.id)
    return prune(definition, State(answers, state.done | {page_id}), today)


def summary(definition: Definition, state: State, today: date) -> list[SummaryRow]:
    """The check-your-answers rows: every question on the route, in route order."""
    rows: list[SummaryRow] = []
    for page in route(definition, state, today).pages:
        if page.id in state.done:
            rows.extend(SummaryRow(page, q, state.answers.get(q.id)) for q in page.fields)
    return rows


def submitted_answers(definition: Definition, state: State, today: date) -> dict[str, Any]:
    """What is kept on submission: the answers on the route, nothing else."""
    return {row.question.id: row.value for row in summary(definition, state, today)}
