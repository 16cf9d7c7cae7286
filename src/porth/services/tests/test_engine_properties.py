"""Properties of the journey engine over generated definitions and generated citizens.

Each generated definition keeps its conditions as data too, so a small reference model here
can say which route the engine should take without asking the engine (or CEL).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from porth.conftest import MINIMAL
from porth.services.definition import CHECK_ANSWERS, Definition, parse
from porth.services.engine import (
    State,
    complete,
    is_complete,
    next_page,
    prune,
    reachable,
    route,
    submitted_answers,
)

TODAY = date(2024, 6, 15)
TYPES = ("yesno", "radios", "text", "number")
OPTIONS = ("a", "b", "c")
PROPERTIES = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(frozen=True)
class FieldSpec:
    id: str
    type: str
    required: bool


@dataclass(frozen=True)
class Condition:
    """A comparison of one answer, or two conditions joined by && or ||."""

    field: str = ""
    op: str = ""
    value: Any = None
    left: "Condition | None" = None
    right: "Condition | None" = None

    @property
    def cel(self) -> str:
        if self.left is not None and self.right is not None:
            return f"({self.left.cel}) {self.op} ({self.right.cel})"
        if self.op == "size>":
            return f"size(answers.{self.field}) > {self.value}"
        return f"answers.{self.field} {self.op} {_cel_literal(self.value)}"

    def holds(self, answers: Mapping[str, Any]) -> bool:
        """What the engine should decide: a comparison with an unanswered question is false."""
        if self.left is not None and self.right is not None:
            if self.op == "&&":
                return self.left.holds(answers) and self.right.holds(answers)
            return self.left.holds(answers) or self.right.holds(answers)
        answer = answers.get(self.field)
        if answer is None:
            return False
        compare = {
            "==": lambda a, b: a == b,
            "!=": lambda a, b: a != b,
            ">": lambda a, b: a > b,
            "<=": lambda a, b: a <= b,
            "size>": lambda a, b: len(a) > b,
        }[self.op]
        return bool(compare(answer, self.value))


def _cel_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


@dataclass(frozen=True)
class PageSpec:
    id: str
    kind: str
    fields: tuple[FieldSpec, ...]
    when: Condition | None
    next: tuple[tuple[Condition | None, str], ...]

    def as_yaml_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "kind": self.kind}
        if self.kind != "question":
            data["title"] = {"en": f"Page {self.id}"}
            data["body"] = {"en": "Some words."}
        if len(self.fields) > 1:
            data["title"] = {"en": f"Page {self.id}"}
        data["fields"] = [_field_data(field) for field in self.fields]
        if self.when is not None:
            data["when"] = self.when.cel
        data["next"] = [
            {"goto": goto} if when is None else {"when": when.cel, "goto": goto}
            for when, goto in self.next
        ]
        return data


def _field_data(field: FieldSpec) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": field.id,
        "type": field.type,
        "label": {"en": f"Question {field.id}"},
        "required": field.required,
    }
    if field.type == "radios":
        data["options"] = [{"value": v, "label": {"en": v.upper()}} for v in OPTIONS]
    return data


@dataclass(frozen=True)
class Spec:
    pages: tuple[PageSpec, ...]
    definition: Definition

    def page(self, page_id: str) -> PageSpec:
        return next(page for page in self.pages if page.id == page_id)

    def expected_route(self, answers: Mapping[str, Any]) -> tuple[list[str], bool]:
        """The reference model of `route`: (page ids, ends on an exit page)."""
        ids: list[str] = []
        index = 0
        while True:
            page = self.pages[index]
            if page.when is None or page.when.holds(answers):
                ids.append(page.id)
                if page.kind == "exit":
                    return ids, True
            target = next(
                (goto for when, goto in page.next if when is None or when.holds(answers)),
                self.pages[index + 1].id if index + 1 < len(self.pages) else CHECK_ANSWERS,
            )
            if target == CHECK_ANSWERS:
                return ids, False
            index = [p.id for p in self.pages].index(target)


def comparisons(field: FieldSpec) -> st.SearchStrategy[Condition]:
    if field.type == "yesno":
        return st.builds(Condition, st.just(field.id), st.just("=="), st.booleans())
    if field.type == "radios":
        ops = st.sampled_from(["==", "!="])
        return st.builds(Condition, st.just(field.id), ops, st.sampled_from(OPTIONS))
    if field.type == "number":
        ops = st.sampled_from([">", "<=", "=="])
        return st.builds(Condition, st.just(field.id), ops, st.integers(0, 10))
    return st.one_of(
        st.builds(Condition, st.just(field.id), st.just("size>"), st.integers(0, 3)),
        st.builds(Condition, st.just(field.id), st.just("=="), st.sampled_from(["", "a", "ab"])),
    )


def conditions(fields: list[FieldSpec]) -> st.SearchStrategy[Condition]:
    atom = st.sampled_from(fields).flatmap(comparisons)
    joined = st.builds(
        lambda op, left, right: Condition(op=op, left=left, right=right),
        st.sampled_from(["&&", "||"]),
        atom,
        atom,
    )
    return st.one_of(atom, atom, joined)


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    """Random valid definitions: forward-only branching, skipped pages, exits.

    Conditions read only questions that can be asked before them (the loader refuses the
    rest): for a page's `when`, questions on pages that can lead to it; for its `next` rules,
    those and its own.
    """
    count = draw(st.integers(1, 6))
    ids = [f"p{i}" for i in range(count)]
    kinds = ["question"] + [
        draw(st.sampled_from(["question", "question", "question", "content", "exit"]))
        for _ in range(count - 1)
    ]
    fields = {
        page_id: tuple(
            FieldSpec(f"f{i}_{j}", draw(st.sampled_from(TYPES)), draw(st.booleans()))
            for j in range(draw(st.integers(1, 2)))
        )
        if kind == "question"
        else ()
        for i, (page_id, kind) in enumerate(zip(ids, kinds, strict=True))
    }
    before: dict[str, set[str]] = {page_id: set() for page_id in ids}  # pages that can lead here
    pages = []
    for i, (page_id, kind) in enumerate(zip(ids, kinds, strict=True)):
        earlier = [field for page in ids[:i] if page in before[page_id] for field in fields[page]]
        so_far = earlier + list(fields[page_id])
        when = None
        if earlier and draw(st.integers(0, 3)) == 0:
            when = draw(conditions(earlier))
        rules: list[tuple[Condition | None, str]] = []
        if kind != "exit":
            targets = [*ids[i + 1 :], CHECK_ANSWERS]
            for _ in range(draw(st.integers(0, 2))):
                rule_when = draw(st.none() | conditions(so_far)) if so_far else None
                rules.append((rule_when, draw(st.sampled_from(targets))))
        # Where this page can lead, as the loader sees it (a skipped page falls through).
        leads_to = [goto for _, goto in rules]
        if (kind != "exit" or when is not None) and all(w is not None for w, _ in rules):
            leads_to.append(ids[i + 1] if i + 1 < count else CHECK_ANSWERS)
        for target in leads_to:
            if target != CHECK_ANSWERS:
                before[target] |= before[page_id] | {page_id}
        pages.append(PageSpec(page_id, kind, fields[page_id], when, tuple(rules)))
    data = yaml.safe_load(MINIMAL.format(slug="generated", pages="  []"))
    data["pages"] = [page.as_yaml_data() for page in pages]
    definition = parse(yaml.safe_dump(data, sort_keys=False), "generated.yaml")
    return Spec(tuple(pages), definition)


def answer(field: FieldSpec) -> st.SearchStrategy[Any]:
    value: st.SearchStrategy[Any] = {
        "yesno": st.booleans(),
        "radios": st.sampled_from(OPTIONS),
        "text": st.text(alphabet="ab", max_size=3),
        "number": st.integers(0, 10),
    }[field.type]
    return value if field.required else st.none() | value


def citizen_step(data: st.DataObject, spec: Spec, state: State) -> State:
    """Finish the next page, go back and change a finished one, or post to any page at all."""
    current = route(spec.definition, state, TODAY).ids
    done_on_route = [page_id for page_id in current if page_id in state.done]
    choice = data.draw(st.sampled_from(["next", "next", "next", "back", "anywhere"]))
    target = next_page(spec.definition, state, TODAY)
    if choice == "back" and done_on_route:
        target = data.draw(st.sampled_from(done_on_route))
    elif choice == "anywhere" or target == CHECK_ANSWERS:
        target = data.draw(st.sampled_from([page.id for page in spec.pages]))
    page = spec.page(target)
    values = {field.id: data.draw(answer(field)) for field in page.fields}
    return complete(spec.definition, state, target, values, TODAY)


def assert_properties(spec: Spec, state: State) -> None:
    definition = spec.definition
    current = route(definition, state, TODAY)
    ids = current.ids
    field_page = {field.id: page.id for page in spec.pages for field in page.fields}

    # The route is the one the reference model takes, so (a) no page on it has a false `when`.
    assert (ids, current.exit) == spec.expected_route(state.answers)
    for page_id in ids:
        when = spec.page(page_id).when
        assert when is None or when.holds(state.answers), page_id

    event("route ends at an exit" if current.exit else "route ends at check answers")
    if any(page.when is not None and page.id not in ids for page in spec.pages):
        event("a page is skipped")

    # (b) Every answer kept belongs to a finished page on the route; pruning is done.
    for field_id in state.answers:
        assert field_page[field_id] in ids and field_page[field_id] in state.done, field_id
    assert state.done <= set(ids)
    assert prune(definition, state, TODAY) == state

    # (c) Complete exactly when nothing is left to ask and the route does not end at an exit.
    upcoming = next_page(definition, state, TODAY)
    ends_at_exit = any(spec.page(page_id).kind == "exit" for page_id in ids)
    assert ends_at_exit == current.exit
    assert is_complete(definition, state, TODAY) == (upcoming == CHECK_ANSWERS and not ends_at_exit)
    assert reachable(definition, state, CHECK_ANSWERS, TODAY) == is_complete(
        definition, state, TODAY
    )

    # (d) The route is finite, visits a page at most once, and starts at the first page shown.
    assert len(ids) == len(set(ids)) <= len(spec.pages)
    first = spec.pages[0]
    if first.when is None or first.when.holds(state.answers):
        assert ids[0] == first.id
    if current.exit:
        assert spec.page(ids[-1]).kind == "exit"
    if upcoming != CHECK_ANSWERS:
        position = ids.index(upcoming)
        assert all(reachable(definition, state, page_id, TODAY) for page_id in ids[: position + 1])
        assert not any(
            reachable(definition, state, page_id, TODAY) for page_id in ids[position + 1 :]
        )

    # (e) What is submitted is exactly the answers to the route's finished pages.
    submitted = submitted_answers(definition, state, TODAY)
    assert submitted.items() <= dict(state.answers).items()
    assert all(field_page[field_id] in ids for field_id in submitted)
    assert submitted == dict(state.answers)
    event("journey complete" if is_complete(definition, state, TODAY) else "journey unfinished")


@PROPERTIES
@given(spec=specs())
def test_generated_definitions_load_and_route_like_the_reference_model(spec: Spec) -> None:
    assert_properties(spec, State())


@PROPERTIES
@given(spec=specs(), data=st.data())
def test_any_sequence_of_finished_pages_keeps_the_journey_consistent(
    spec: Spec, data: st.DataObject
) -> None:
    state = State()
    for _ in range(data.draw(st.integers(1, 12), label="steps")):
        state = citizen_step(data, spec, state)
        assert_properties(spec, state)


@PROPERTIES
@given(spec=specs(), data=st.data())
def test_a_citizen_who_always_finishes_the_next_page_reaches_the_end(
    spec: Spec, data: st.DataObject
) -> None:
    state = State()
    for _ in range(len(spec.pages)):  # each step finishes one more page
        upcoming = next_page(spec.definition, state, TODAY)
        if upcoming == CHECK_ANSWERS:
            break
        values = {field.id: data.draw(answer(field)) for field in spec.page(upcoming).fields}
        state = complete(spec.definition, state, upcoming, values, TODAY)
    assert next_page(spec.definition, state, TODAY) == CHECK_ANSWERS
    assert is_complete(spec.definition, state, TODAY) != route(spec.definition, state, TODAY).exit
