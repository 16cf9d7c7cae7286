"""The journey state machine: where a citizen is, where they go next, and what they said.

A journey's state is two things: the answers (field id → answer) and the pages the citizen
has finished. Everything else — the route, the next page, whether the journey is complete,
the check-your-answers rows — is worked out from the definition and that state, so it can
never disagree with it. Plain Python: no Django, no database.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import filterfalse, islice
from typing import Any

from porth.services import questions
from porth.services.definition import CHECK_ANSWERS, Definition, Page, Question, Scope
from porth.services.definition.conditions import referenced_fields


@dataclass(frozen=True)
class State:
    answers: Mapping[str, Any] = field(default_factory=dict)
    done: frozenset[str] = frozenset()
    # The route worked out for this state (a state never changes), by definition and day.
    _routes: dict[tuple[int, date], "Route"] = field(
        default_factory=dict, compare=False, repr=False
    )

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

    @cached_property
    def ids(self) -> list[str]:
        return [page.id for page in self.pages]

    @cached_property
    def id_set(self) -> frozenset[str]:
        return frozenset(self.ids)


@dataclass(frozen=True)
class SummaryRow:
    page: Page
    question: Question
    value: Any


class _Plan:
    """A definition compiled for walking: indexes, CEL programs and a memo of routes.

    A route depends only on the answers that routing conditions read (and on today, for
    conditions that use it), so routes are remembered by those answers: a citizen moving
    through a journey mostly changes answers no condition reads.
    """

    MEMO_SIZE = 512

    def __init__(self, definition: Definition) -> None:
        self.definition = definition
        pages = definition.pages
        self.index = {page.id: i for i, page in enumerate(pages)}
        program = definition.program
        self.when = [program(page.when) if page.when else None for page in pages]
        self.rules = [
            [(program(r.when) if r.when else None, self.index.get(r.goto, -1)) for r in page.next]
            for page in pages
        ]
        self.page_of = {q.id: page.id for page in pages for q in page.fields}
        routing = [page.when for page in pages] + [r.when for page in pages for r in page.next]
        self.routing_fields = tuple(
            sorted(set().union(*(referenced_fields(e) for e in routing if e)))
        )
        # Pages whose answers no routing condition reads: finishing one leaves the route as
        # it was.
        routed = set(self.routing_fields)
        self.unrouted = frozenset(
            page.id for page in pages if routed.isdisjoint(q.id for q in page.fields)
        )
        every = routing + [r.when for _, q in definition.questions.values() for r in q.rules]
        self.expression_fields = frozenset().union(*(referenced_fields(e) for e in every if e))
        # Checkbox (list) and address (dict) answers must be made hashable for the memo key.
        self.unhashable = [
            i
            for i, f in enumerate(self.routing_fields)
            if definition.questions[f][1].type in {"checkboxes", "address"}
        ]
        self.routes: dict[tuple[Any, ...], Route] = {}

    def key(self, answers: Mapping[str, Any], today: date) -> tuple[Any, ...]:
        values: list[Any] = [today, *map(answers.get, self.routing_fields)]
        for i in self.unhashable:
            value = values[i + 1]
            if value is not None:
                values[i + 1] = (
                    tuple(sorted(value.items())) if isinstance(value, dict) else tuple(value)
                )
        return tuple(values)


_plans: dict[int, _Plan] = {}


def _plan(definition: Definition) -> _Plan:
    plan = _plans.get(id(definition))
    if plan is None or plan.definition is not definition:
        if len(_plans) > 256:  # tests make many definitions; a server has a handful
            _plans.clear()
        plan = _plans[id(definition)] = _Plan(definition)
    return plan


class _LazyScope:
    """Builds the CEL scope only when a condition is met: most pages have none."""

    __slots__ = ("_answers", "_definition", "_scope", "_today")

    def __init__(self, definition: Definition, answers: Mapping[str, Any], today: date) -> None:
        self._definition, self._answers, self._today = definition, answers, today
        self._scope: Scope | None = None

    def holds(self, program: Any) -> bool:
        if self._scope is None:
            read = _plan(self._definition).routing_fields
            self._scope = Scope(cel_answers(self._definition, self._answers, read), self._today)
        return self._scope.holds(program)


def cel_answers(
    definition: Definition, answers: Mapping[str, Any], read: Iterable[str] | None = None
) -> dict[str, Any]:
    """Answers as conditions see them; unanswered (or blank optional) questions are absent.
    Only answers that are read are converted (by default, those any expression reads)."""
    questions_ = definition.questions
    out = {}
    for field_id in _plan(definition).expression_fields if read is None else read:
        value = answers.get(field_id)
        if value is not None and field_id in questions_:
            question = questions_[field_id][1]
            out[field_id] = questions.get(question.type).to_cel(question, value)
    return out


def route(definition: Definition, state: State, today: date) -> Route:
    """Follow the branching from the first page with the answers given.

    A condition that reads an unanswered question is false, so the route past a page the
    citizen has not reached yet is the route they would take if nothing more applied.
    """
    plan = _plan(definition)
    mine = (id(plan), today)
    found = state._routes.get(mine)
    if found is not None:
        return found
    key = plan.key(state.answers, today)
    found = plan.routes.get(key)
    if found is not None:
        state._routes[mine] = found
        return found
    scope = _LazyScope(definition, state.answers, today)
    pages = definition.pages
    count = len(pages)
    taken: list[Page] = []
    index, steps, exit_ = 0, 0, False
    while index >= 0:
        steps += 1
        if steps > count:  # the loader refuses loops; this guards against a bad definition
            raise RuntimeError(f"the route loops at page {pages[index].id!r}")
        page = pages[index]
        when = plan.when[index]
        if when is None or scope.holds(when):
            taken.append(page)
            if page.kind == "exit":
                exit_ = True
                break
        for program, target in plan.rules[index]:
            if program is None or scope.holds(program):
                index = target
                break
        else:
            index = index + 1 if index + 1 < count else -1
    found = Route(tuple(taken), exit=exit_)
    if len(plan.routes) >= plan.MEMO_SIZE:
        plan.routes.clear()
    plan.routes[key] = state._routes[mine] = found
    return found


def prune(definition: Definition, state: State, today: date) -> State:
    """Drop the answers to pages no longer on the route: they must never be submitted.

    Dropping an answer can change the route again (a condition read it), so repeat until
    nothing changes; each round only removes, so this ends.
    """
    page_of = _plan(definition).page_of
    while True:
        done = state.done & route(definition, state, today).id_set
        # Every answer's page finished and on the route? (set operations, no Python loop)
        if done == state.done and done.issuperset(map(page_of.get, state.answers)):
            return state
        state = State({k: v for k, v in state.answers.items() if page_of.get(k) in done}, done)


def next_page(definition: Definition, state: State, today: date) -> str:
    """The first page on the route the citizen has not finished, or check-your-answers."""
    current = route(definition, state, today)
    ids, done = current.ids, state.done
    # Called after every answer. Usually the k finished pages are the route's first k: one
    # set operation checks that (no Python call per page), and the answer is the page after
    # them. Otherwise (an answer changed the route), scan the route.
    finished = len(done)
    if done.issuperset(ids[:finished]):
        return ids[finished] if finished < len(ids) else CHECK_ANSWERS
    return next(filterfalse(done.__contains__, ids), CHECK_ANSWERS)


def reachable(definition: Definition, state: State, page_id: str, today: date) -> bool:
    """A citizen may open a page on the route up to the first one they have not finished:
    never one further on, never one off the route."""
    if page_id == CHECK_ANSWERS:
        return is_complete(definition, state, today)
    current = route(definition, state, today)
    if page_id not in current.id_set:
        return False
    ids = current.ids
    return state.done.issuperset(islice(ids, ids.index(page_id)))


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
    return not current.exit and state.done.issuperset(current.ids)


def complete(
    definition: Definition, state: State, page_id: str, values: Mapping[str, Any], today: date
) -> State:
    """Record a finished page's answers (already validated), then prune the route.

    `state` must be pruned, as every state this module returns is (a stored state was made
    here; after a definition changes, prune it first).
    """
    page = definition.page(page_id)
    answers = dict(state.answers)
    for question in page.fields:
        answers[question.id] = values.get(question.id)
    new = State(answers, state.done | {page_id})
    plan = _plan(definition)
    if page_id in plan.unrouted:
        # Only this page's answers changed, and no condition reads them: the route is the
        # one before (known already, mostly), without working out its memo key again.
        mine = (id(plan), today)
        known = state._routes.get(mine)
        if known is not None:
            new._routes[mine] = known
    if new.done <= route(definition, new, today).id_set:
        # Every finished page is still on the route; the answers were pruned before and
        # the new ones belong to a finished page, so nothing can be dropped.
        return new
    return prune(definition, new, today)


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
