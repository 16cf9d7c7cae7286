"""Journey engine throughput: validate a page, complete it, find the next page — on one core.

A generated 100-page definition (every question type, ~20% of pages branching in CEL over
earlier answers, some pages shown only `when` a condition holds, a few custom rules) is walked
from the first page to check-your-answers again and again. One step is what a POST costs the
engine: ``validate_page`` + ``complete`` + ``next_page``.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from porth.services.definition import CHECK_ANSWERS, Definition, Page, parse
from porth.services.engine import State, complete, next_page, route, validate_page

from .profiling import Profiler
from .report import table, verdict

PAGES = 100
STEPS_TARGET = 50_000.0  # steps per second on one core
RUN_SECONDS = 2.5
ROUTE_SECONDS = 1.0
PROFILE_JOURNEYS = 20

# The same frame as porth.conftest.make_definition (which needs pytest and Django settings).
FRAME = """\
slug: bench-service
name: {en: Benchmark service, cy: Gwasanaeth meincnodi}
summary: {en: For benchmarks, cy: Ar gyfer meincnodi}
organisation: {id: bench-council, name: {en: Bench Council, cy: Cyngor Mainc}}
start: {body: {en: Use this service to measure., cy: Defnyddiwch y gwasanaeth hwn i fesur.}}
declaration: {body: {en: It is true., cy: Mae'n wir.}}
confirmation: {body: {en: We will reply., cy: Byddwn yn ateb.}}
pages:
"""

# Each question type: extra YAML for the question, the form it posts, and CEL conditions over
# its answer (one true, one false for that form).
TYPES: list[tuple[str, str, Callable[[str], dict[str, Any]], str, str]] = [
    (
        "radios",
        "options: [{value: a, label: {en: A}}, {value: b, label: {en: B}}, {value: c, label: {en: C}}]",
        lambda q: {q: "b"},
        'answers.{q} == "b"',
        'answers.{q} == "c"',
    ),
    (
        "text",
        "rules: [{max_length: 100}]",
        lambda q: {q: "Siân Jones"},
        'answers.{q} != ""',
        'answers.{q} == "x"',
    ),
    (
        "number",
        "rules: [{min: 0}, {max: 20}, {when: 'answers.{q} == 13', message: {en: Not 13}}]",
        lambda q: {q: "3"},
        "answers.{q} > 2",
        "answers.{q} > 10",
    ),
    (
        "date",
        "rules: [{before: today}, {after: '1900-01-01'}]",
        lambda q: {f"{q}-day": "27", f"{q}-month": "3", f"{q}-year": "1958"},
        "age(answers.{q}) >= 18",
        "answers.{q} > today",
    ),
    ("yesno", "", lambda q: {q: "yes"}, "answers.{q}", "!answers.{q}"),
    (
        "checkboxes",
        "options: [{value: x, label: {en: X}}, {value: y, label: {en: Y}}, {value: z, label: {en: Z}}, {value: none, label: {en: None}, exclusive: true}]",
        lambda q: {q: ["x", "y"]},
        '"x" in answers.{q}',
        '"none" in answers.{q}',
    ),
    ("email", "", lambda q: {q: "sian.jones@example.com"}, "", ""),
    (
        "money",
        "rules: [{max: 10000}]",
        lambda q: {q: "185.50"},
        "answers.{q} > 100.0",
        "answers.{q} > 1000.0",
    ),
    (
        "select",
        "options: [{value: s1, label: {en: S1}}, {value: s2, label: {en: S2}}]",
        lambda q: {q: "s2"},
        'answers.{q} == "s2"',
        'answers.{q} == "s1"',
    ),
    ("phone", "", lambda q: {q: "07911 123456"}, "", ""),
    (
        "postcode",
        "rules: [{pattern: '^(CF|NP).*', message: {en: Enter a postcode in the council area}}]",
        lambda q: {q: "CF10 1EP"},
        'answers.{q}.startsWith("CF")',
        'answers.{q}.startsWith("NP")',
    ),
    (
        "address",
        "",
        lambda q: {
            f"{q}-line1": "12 Heol y Castell",
            f"{q}-line2": "",
            f"{q}-town": "Cardiff",
            f"{q}-county": "",
            f"{q}-postcode": "CF10 1EP",
        },
        "",
        "",
    ),
    (
        "decimal",
        "rules: [{min: 0}]",
        lambda q: {q: "4.5"},
        "answers.{q} > 4.0",
        "answers.{q} > 5.0",
    ),
    ("nino", "required: false", lambda q: {q: "AB 12 34 56 C"}, "", ""),
    (
        "textarea",
        "rules: [{max_length: 1200}]",
        lambda q: {q: "A deep pothole in the middle of the lane.\r\nCars swerve round it."},
        "size(answers.{q}) > 10",
        "size(answers.{q}) > 1000",
    ),
]


@dataclass
class Generated:
    definition: Definition
    forms: dict[str, dict[str, Any]]  # page id → the form it posts
    order: list[str]  # the page ids a journey visits, in order
    branching: int
    conditional: int
    content: int


def generate(pages: int = PAGES) -> Generated:
    """A definition with `pages` pages; every page is on the route for the generated answers."""
    lines: list[str] = []
    forms: dict[str, dict[str, Any]] = {}
    conditions: list[tuple[str, str]] = []  # (true, false) CEL over answered questions
    branching = conditional = content = 0
    type_index = 0
    for i in range(pages):
        page_id = f"page-{i}"
        lines.append(f"- id: {page_id}")
        earlier = len(conditions)  # conditions over the pages before this one
        if i % 20 == 19:  # five content pages
            content += 1
            lines += ["  kind: content", "  title: {en: Read this}", "  body: {en: Some *words*.}"]
            forms[page_id] = {}
        else:
            count = 3 if i % 7 == 3 else 1
            if count > 1:
                lines.append(f"  title: {{en: Page {i}}}")
            lines.append("  fields:")
            form: dict[str, Any] = {}
            for j in range(count):
                qtype, extra, make_form, true_cel, false_cel = TYPES[type_index % len(TYPES)]
                type_index += 1
                qid = f"f{i}_{j}"
                lines.append(f"  - id: {qid}")
                lines.append(f"    type: {qtype}")
                lines.append(f"    label: {{en: Question {i}.{j}, cy: Cwestiwn {i}.{j}}}")
                if extra:
                    lines.append("    " + extra.replace("{q}", qid))
                form.update(make_form(qid))
                if true_cel:
                    conditions.append((true_cel.format(q=qid), false_cel.format(q=qid)))
            forms[page_id] = form
        if i % 10 == 6 and earlier:  # ~10%: shown only when a condition holds (it does)
            conditional += 1
            lines.append(f"  when: '{conditions[(i * 7) % earlier][0]}'")
        if i % 5 == 2 and i + 3 < pages:  # ~20%: branching on earlier answers
            branching += 1
            true_cel, _ = conditions[(i * 3) % len(conditions)]
            _, false_cel = conditions[(i * 11) % len(conditions)]
            lines.append("  next:")
            lines.append(f"  - {{when: '{false_cel}', goto: page-{i + 3}}}")
            if i % 2:  # an explicit rule to the following page; otherwise fall through
                lines.append(f"  - {{when: '{true_cel}', goto: page-{i + 1}}}")
                lines.append(f"  - {{goto: page-{i + 2}}}")
    body = "\n".join("  " + line for line in lines)
    definition = parse(FRAME + body + "\n", "bench.yaml")
    order = [page.id for page in definition.pages]
    return Generated(definition, forms, order, branching, conditional, content)


@dataclass
class Timings:
    steps: int = 0
    journeys: int = 0
    validate: float = 0.0
    complete: float = 0.0
    next: float = 0.0
    elapsed: float = 0.0


def _journey(g: Generated, pages: list[Page], today: date, t: Timings | None) -> State:
    """Walk one journey from the first page to check-your-answers, checking every step."""
    definition, forms, order = g.definition, g.forms, g.order
    clock = time.perf_counter
    state = State()
    last = len(pages) - 1
    for index, page in enumerate(pages):
        t0 = clock()
        result = validate_page(definition, page, forms[page.id], state, today)
        t1 = clock()
        if not result.ok:
            raise RuntimeError(f"{page.id} refused its form: {result.errors}")
        state = complete(definition, state, page.id, result.values, today)
        t2 = clock()
        following = next_page(definition, state, today)
        t3 = clock()
        expected = CHECK_ANSWERS if index == last else order[index + 1]
        if following != expected:
            raise RuntimeError(f"after {page.id} the engine went to {following}, not {expected}")
        if t is not None:
            t.validate += t1 - t0
            t.complete += t2 - t1
            t.next += t3 - t2
            t.steps += 1
    return state


def measure_steps(g: Generated, seconds: float = RUN_SECONDS) -> tuple[Timings, State]:
    today = date.today()
    pages = list(g.definition.pages)
    state = _journey(g, pages, today, None)  # warm up, and check the walk once
    t = Timings()
    start = time.perf_counter()
    deadline = start + seconds
    for _ in range(100_000):  # bounded; the deadline ends it long before
        state = _journey(g, pages, today, t)
        t.journeys += 1
        if time.perf_counter() >= deadline:
            break
    t.elapsed = time.perf_counter() - start
    return t, state


def measure_route(g: Generated, state: State, seconds: float = ROUTE_SECONDS) -> tuple[float, int]:
    today = date.today()
    definition = g.definition
    length = len(route(definition, state, today).pages)
    calls = 0
    start = time.perf_counter()
    deadline = start + seconds
    for _ in range(1_000_000):
        for _ in range(50):
            route(definition, state, today)
        calls += 50
        if time.perf_counter() >= deadline:
            break
    return calls / (time.perf_counter() - start), length


def profile(g: Generated, journeys: int = PROFILE_JOURNEYS) -> str:
    today = date.today()
    pages = list(g.definition.pages)
    profiler = Profiler()
    with profiler:
        for _ in range(journeys):
            _journey(g, pages, today, None)
    return profiler.report(f"{journeys} journeys", by_own_time=15, by_cumulative=15)


def run(*, with_profile: bool = False) -> None:
    print("\n== engine: validate_page + complete + next_page, one core ==")
    g = generate()
    fields = len(g.definition.questions)
    print(
        f"definition: {len(g.order)} pages, {fields} questions of {len(TYPES)} types, "
        f"{g.branching} pages with `next` conditions, {g.conditional} with `when`, "
        f"{g.content} content pages; every page is on the walked route"
    )
    t, state = measure_steps(g)
    steps_per_s = t.steps / t.elapsed
    per_step = 1e6 / steps_per_s
    route_per_s, route_len = measure_route(g, state)
    rows = [
        [
            "steps/s (validate+complete+next)",
            f"{steps_per_s:,.0f}",
            f"≥ {STEPS_TARGET:,.0f}",
            verdict(steps_per_s >= STEPS_TARGET),
        ],
        ["µs per step", f"{per_step:,.1f}", f"≤ {1e6 / STEPS_TARGET:,.0f}", ""],
        ["  of which validate_page µs", f"{1e6 * t.validate / t.steps:,.1f}", "", ""],
        [
            "  of which complete µs (incl. prune→route)",
            f"{1e6 * t.complete / t.steps:,.1f}",
            "",
            "",
        ],
        ["  of which next_page µs (route)", f"{1e6 * t.next / t.steps:,.1f}", "", ""],
        ["journeys/s (100 steps each)", f"{t.journeys / t.elapsed:,.1f}", "", ""],
        [f"route()/s ({route_len}-page route, all answered)", f"{route_per_s:,.0f}", "", ""],
    ]
    print(table(["measure", "value", "target", ""], rows))
    print(f"({t.journeys} journeys, {t.steps:,} steps in {t.elapsed:.2f} s)")
    if with_profile:
        print("\n" + profile(g))
