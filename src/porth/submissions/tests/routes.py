"""A way to every question page of a definition, found with the engine: the forms a citizen
posts, page by page, to be allowed to open it.

Each question is tried with a few plausible answers of its type (every option of a choice),
and the engine says which are accepted and where they lead: a breadth-first search over
journeys, so the way found to each page is a shortest one.
"""

from collections import deque
from datetime import date, timedelta
from typing import Any

from porth.services.definition import CHECK_ANSWERS, Definition, Page, Question
from porth.services.engine import State, complete, next_page, route, validate_page

Form = dict[str, Any]
Step = tuple[str, Form]  # page id, the form posted to it


def _date(prefix: str, day: date) -> Form:
    return {
        f"{prefix}-day": str(day.day),
        f"{prefix}-month": str(day.month),
        f"{prefix}-year": str(day.year),
    }


def candidates(question: Question, today: date) -> list[Form]:
    """Answers a citizen might give this question, as the form inputs it posts."""
    q = question.id
    if question.type in {"radios", "select"}:
        return [{q: option.value} for option in question.options]
    if question.type == "checkboxes":
        return [{q: [option.value]} for option in question.options]
    if question.type == "date":
        days = [date(1958, 3, 27), today - timedelta(days=7), today + timedelta(days=30)]
        return [_date(q, day) for day in days]
    if question.type == "address":
        parts = {"line1": "12 Heol y Castell", "town": "Cardiff", "postcode": "CF10 1EP"}
        return [{f"{q}-{part}": text for part, text in parts.items()}]
    typed = {
        "text": ["Siân Jones", "AB12 CD34", "50012345"],
        "textarea": ["A deep pothole by the bus stop."],
        "number": ["1", "2", "0", "30"],
        "decimal": ["4.5", "30"],
        "money": ["120.50"],
        "yesno": ["yes", "no"],
        "email": ["sian.jones@example.com"],
        "phone": ["07700 900982"],
        "postcode": ["CF10 1EP"],
        "nino": ["AB 12 34 56 C"],
    }[question.type]
    return [{q: text} for text in typed]


def _forms(page: Page, today: date) -> list[Form]:
    """The first answer to every question, then each other answer to one question at a time."""
    options = [candidates(question, today) for question in page.fields]
    first: Form = {k: v for answers in options for k, v in answers[0].items()}
    forms = [first]
    for answers in options:
        forms += [{**first, **other} for other in answers[1:]]
    return forms


def ways(definition: Definition, today: date, limit: int = 500) -> dict[str, list[Step]]:
    """For every question page found, the steps that lead to it (its own not included).

    Journeys with the same route and the same pages finished lead to the same pages, so
    only the first of them is followed."""
    found: dict[str, list[Step]] = {}
    queue: deque[tuple[State, list[Step]]] = deque([(State(), [])])
    followed: set[tuple[tuple[str, ...], frozenset[str]]] = set()
    seen = 0
    while queue and seen < limit:
        state, steps = queue.popleft()
        key = (tuple(route(definition, state, today).ids), frozenset(state.done))
        if key in followed:
            continue
        followed.add(key)
        page_id = next_page(definition, state, today)
        if page_id == CHECK_ANSWERS:
            continue
        page = definition.page(page_id)
        if page.kind == "exit":
            continue
        if page.fields and page_id not in found:
            found[page_id] = steps
        for form in _forms(page, today):
            seen += 1
            result = validate_page(definition, page, form, state, today)
            if result.ok:
                after = complete(definition, state, page_id, result.values, today)
                queue.append((after, [*steps, (page_id, form)]))
    return found
