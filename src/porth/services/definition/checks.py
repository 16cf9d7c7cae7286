"""Load-time checks that need the whole definition: references between its parts.

Each problem names the path inside the definition, e.g. ``pages[3].next[0].goto``.
"""

from . import experiment_checks, template_checks
from .conditions import ConditionError, referenced_fields
from .models import CHECK_ANSWERS, Definition
from .prefill import compile_reply
from .problems import Problem, expression_problems

# Addresses of Porth's own pages in a journey.
RESERVED_PAGE_IDS = frozenset(
    {
        CHECK_ANSWERS,
        "confirmation",
        "feedback",  # the satisfaction question's answers (porth.analytics.feedback_urls)
        "start",
        "sign-out",
        "signed-out",
        "save-for-later",
        "saved",
    }
)


def check(definition: Definition) -> list[Problem]:
    problems: list[Problem] = []
    problems += _unique_ids(definition)
    problems += _references(definition)
    problems += template_checks.check(definition)
    problems += experiment_checks.check(definition)
    problems += _prefills(definition)
    if not problems:
        problems += _cycles(definition)
    if not problems:
        problems += _routing_reads_earlier_answers(definition)
    return problems


def _unique_ids(definition: Definition) -> list[Problem]:
    problems = []
    seen_pages: set[str] = set()
    seen_fields: set[str] = set()
    for p, page in enumerate(definition.pages):
        if page.id in seen_pages:
            problems.append(Problem(f"pages[{p}].id", f"page id {page.id!r} is used twice"))
        if page.id in RESERVED_PAGE_IDS:
            problems.append(
                Problem(f"pages[{p}].id", f"{page.id!r} is reserved for Porth's own page")
            )
        seen_pages.add(page.id)
        for f, field in enumerate(page.fields):
            if field.id in seen_fields:
                problems.append(
                    Problem(f"pages[{p}].fields[{f}].id", f"field id {field.id!r} is used twice")
                )
            seen_fields.add(field.id)
    return problems


def _references(definition: Definition) -> list[Problem]:
    problems = []
    for p, page in enumerate(definition.pages):
        if page.when is not None:
            problems += expression_problems(definition, f"pages[{p}].when", page.when)
        for n, rule in enumerate(page.next):
            if rule.when is not None:
                problems += expression_problems(definition, f"pages[{p}].next[{n}].when", rule.when)
            if rule.goto != CHECK_ANSWERS and not definition.has_page(rule.goto):
                problems.append(
                    Problem(f"pages[{p}].next[{n}].goto", f"there is no page {rule.goto!r}")
                )
        for f, field in enumerate(page.fields):
            for r, field_rule in enumerate(field.rules):
                if field_rule.when is not None:
                    path = f"pages[{p}].fields[{f}].rules[{r}].when"
                    problems += expression_problems(definition, path, field_rule.when)
    for a, action in enumerate(definition.on_submit):
        name = action.case.name
        if name is not None and name not in definition.questions:
            path = f"on_submit[{a}].case.name"
            problems.append(Problem(path, f"there is no question {name!r}"))
    if definition.pages[0].kind == "exit":
        problems.append(Problem("pages[0].kind", "the first page cannot be an exit page"))
    return problems


def _prefills(definition: Definition) -> list[Problem]:
    """A prefill fills only its own page's fields, from a query over earlier answers."""
    problems = []
    for p, page in enumerate(definition.pages):
        if page.prefill is None:
            continue
        own = {field.id for field in page.fields}
        for k, source in page.prefill.query.items():
            path = f"pages[{p}].prefill.query.{k}"
            found = expression_problems(definition, path, source)
            if not found and (on_page := referenced_fields(source) & own):
                names = ", ".join(sorted(on_page))
                found = [Problem(path, f"{source!r} reads {names}, which this page asks")]
            problems += found
        for field_id, source in page.prefill.answers.items():
            path = f"pages[{p}].prefill.answers.{field_id}"
            if field_id not in own:
                problems.append(Problem(path, f"there is no field {field_id!r} on this page"))
            try:
                compile_reply(source)
            except ConditionError as error:
                problems.append(Problem(path, f"{source!r} {error}"))
    return problems


def _edges(definition: Definition) -> dict[str, list[str]]:
    """Where each page can lead (page ids; check-answers left out)."""
    count = len(definition.pages)
    edges: dict[str, list[str]] = {}
    for i, page in enumerate(definition.pages):
        targets = [rule.goto for rule in page.next]
        # A skipped page (its `when` false) goes on to the following one, even an exit page.
        falls_through = page.kind != "exit" or page.when is not None
        if falls_through and all(rule.when is not None for rule in page.next):
            targets.append(definition.pages[i + 1].id if i + 1 < count else CHECK_ANSWERS)
        edges[page.id] = [t for t in targets if t != CHECK_ANSWERS]
    return edges


def _cycles(definition: Definition) -> list[Problem]:
    """A journey must always move forward: a route that can loop back would never end."""
    order = {page.id: i for i, page in enumerate(definition.pages)}
    edges = _edges(definition)
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done

    def visit(page_id: str, trail: list[str]) -> list[str] | None:
        state[page_id] = 1
        for target in edges[page_id]:
            if state.get(target) == 1:
                return [*trail[trail.index(target) :], target] if target in trail else [target]
            if target not in state and (found := visit(target, [*trail, target])):
                return found
        state[page_id] = 2
        return None

    for page in definition.pages:
        if page.id not in state and (loop := visit(page.id, [page.id])):
            index = order[loop[0]]
            return [
                Problem(
                    f"pages[{index}].next",
                    "the journey can go round in a loop: " + " → ".join(loop),
                )
            ]
    return []


def _routing_reads_earlier_answers(definition: Definition) -> list[Problem]:
    """A page's `when` may only read questions that can come before it; its `next` rules,
    those and its own. Otherwise an answer could hide the page that asked for it, and the
    citizen would be sent back and forth for ever."""
    before: dict[str, set[str]] = {page.id: set() for page in definition.pages}
    edges = _edges(definition)
    # Pages in list order may still be reached out of order (gotos), so propagate to a fixed
    # point; the graph has no loops (checked first), so this ends.
    changed = True
    while changed:
        changed = False
        for source, targets in edges.items():
            for target in targets:
                grown = before[target] | before[source] | {source}
                if grown != before[target]:
                    before[target], changed = grown, True
    problems = []
    for p, page in enumerate(definition.pages):
        asked_before = {q for pid in before[page.id] for q in _fields(definition, pid)}
        checks: list[tuple[str, str | None, set[str]]] = [
            (f"pages[{p}].when", page.when, asked_before)
        ]
        own = asked_before | _fields(definition, page.id)
        checks += [(f"pages[{p}].next[{n}].when", r.when, own) for n, r in enumerate(page.next)]
        for path, expression, allowed in checks:
            if expression is None:
                continue
            later = referenced_fields(expression) - allowed
            if later:
                names = ", ".join(sorted(later))
                problems.append(
                    Problem(
                        path, f"{expression!r} reads {names}, which is not asked before this point"
                    )
                )
    return problems


def _fields(definition: Definition, page_id: str) -> set[str]:
    return {field.id for field in definition.page(page_id).fields}
