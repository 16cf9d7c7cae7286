"""No answer ever reaches performance data: every example service is filled in with answers
nobody else would give, mistakes included, saved and resumed, sent and decided, and then
every column of every row of every analytics table is searched for them."""

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.dispatch import receiver
from django.test import Client

from porth.accounts.models import Organisation, Role
from porth.analytics import rollups
from porth.casework import actions as casework
from porth.casework.models import Case
from porth.casework.tests.helpers import organisation, staff
from porth.services import registry
from porth.services.definition import CHECK_ANSWERS, Definition, Page, Question
from porth.services.engine import State, complete, next_page, validate_page
from porth.submissions.signals import saved_for_later
from porth.submissions.tests.routes import Form, candidates

pytestmark = pytest.mark.django_db

# Answers to look for, lower case: each distinctive enough not to turn up by chance.
TEXTS = {
    "text": ["Quokkafern Zephyr", "73194682", "Quokkafern 7319"],
    "textarea": ["Wombatlight marmalade beneath the quokkafern bridge"],
    "number": ["7319"],
    "decimal": ["73.19"],
    "money": ["7319.46"],
    "email": ["quokkafern.zephyr@example.com"],
    "phone": ["07700 900731"],
    "postcode": ["ZE2 9XQ"],
    "nino": ["JZ 73 19 46 D"],
}
ADDRESS = {"line1": "17 Quokkafern Lane", "town": "Zephyrton", "postcode": "ZE2 9XQ"}
BIRTHDAY = date(1947, 11, 23)
WRONG = "zqwrong"  # what a citizen typed that was refused
LINK_TO = "wallaroo.linkaddress@example.com"  # where "save and come back later" sent the link
SECRETS = [
    "quokkafern",
    "zephyr",
    "wombatlight",
    "marmalade",
    "73194682",
    "7319",
    "73.19",
    "900731",
    "ze2 9xq",
    "jz 73",
    "jz731946d",
    "1947",
    WRONG,
    "wallaroo",
]
NUMBERS = {7319, 73194682, 900731, 1947, Decimal("73.19"), Decimal("7319.46")}


def _tries(question: Question, today: date) -> list[Form]:
    """Distinctive answers first, then ordinary ones the question's rules may prefer."""
    q = question.id
    if question.type == "address":
        return [{f"{q}-{part}": text for part, text in ADDRESS.items()}]
    if question.type == "date":
        day = BIRTHDAY
        own = [{f"{q}-day": str(day.day), f"{q}-month": str(day.month), f"{q}-year": "1947"}]
        return own + candidates(question, today)
    own = [{q: text} for text in TEXTS.get(question.type, [])]
    return own + candidates(question, today)


def _wrong(page: Page) -> Form:
    form: Form = {}
    for question in page.fields:
        if question.type in {"date", "address"}:
            parts = ("day", "month", "year") if question.type == "date" else tuple(ADDRESS)
            form.update({f"{question.id}-{part}": WRONG for part in parts})
        else:
            form[question.id] = WRONG
    return form


def _forms(definition: Definition, page: Page, state: State, today: date) -> list[Form]:
    """Forms the page accepts: each question its first accepted try, choices in every
    combination (a few), so that a route past an exit page can be found."""
    typed: Form = {}
    choices: list[list[Form]] = []
    for question in page.fields:
        tries = _tries(question, today)
        if question.type in {"radios", "select", "checkboxes", "yesno"}:
            choices.append(tries)
            continue
        for attempt in tries:
            alone = Page(id=page.id, fields=[question])
            if validate_page(definition, alone, attempt, state, today).ok:
                typed.update(attempt)
                break
    found = []
    for combination in itertools.islice(itertools.product(*choices), 40):
        form = {**typed, **{k: v for chosen in combination for k, v in chosen.items()}}
        if validate_page(definition, page, form, state, today).ok:
            found.append(form)
    return found


def _plan(
    definition: Definition, today: date, state: State | None = None, depth: int = 0
) -> list[tuple[str, Form]] | None:
    """The pages and forms of a way to check your answers (depth first)."""
    state = state or State()
    page_id = next_page(definition, state, today)
    if page_id == CHECK_ANSWERS:
        return []
    page = definition.page(page_id)
    if page.kind == "exit" or depth > 60:
        return None
    for form in _forms(definition, page, state, today) or [{}]:
        result = validate_page(definition, page, form, state, today)
        if not result.ok:
            continue
        after = complete(definition, state, page_id, result.values, today)
        rest = _plan(definition, today, after, depth + 1)
        if rest is not None:
            return [(page_id, form), *rest]
    return None


def _scan() -> list[str]:
    """Where any answer turns up in an analytics table: "table.column = value"."""
    found = []
    for model in apps.get_app_config("analytics").get_models():
        for row in model._default_manager.values():
            for column, value in row.items():
                text = str(value).lower()
                if (isinstance(value, str) and any(secret in text for secret in SECRETS)) or (
                    not isinstance(value, str | bool) and value in NUMBERS
                ):
                    found.append(f"{model._meta.db_table}.{column} = {value!r}")
    return found


@pytest.mark.parametrize("slug", sorted(registry.definitions()))
def test_no_answer_is_in_any_analytics_row(slug: str, settings: Any) -> None:
    settings.PORTH_BASE_URL = "https://council.example"
    definition = registry.get(slug)
    assert definition is not None
    today = date.today()
    plan = _plan(definition, today)
    assert plan, f"no way through {slug} found"
    assert {q.type for page, _ in plan for q in definition.page(page).fields} & set(TEXTS)
    links: list[str] = []

    @receiver(saved_for_later, dispatch_uid="test_no_answers")
    def keep(sender: Any, link: str, **kwargs: Any) -> None:
        links.append(link.removeprefix("https://council.example").split("?")[0])

    client, base = Client(), f"/services/{slug}"
    try:
        for number, (page_id, form) in enumerate(plan):
            client.get(f"{base}/{page_id}")
            assert client.post(
                f"{base}/{page_id}", _wrong(definition.page(page_id))
            ).status_code in (
                200,
                303,
            )
            if number == len(plan) // 2:  # saved halfway, with this page's mistakes, resumed
                client.post(f"{base}/{page_id}", {**form, "save-for-later": ""})
                client.post(f"{base}/save-for-later", {"how": "email", "email": LINK_TO})
                client = Client()
                assert client.post(links[-1]).status_code == 303
            response = client.post(f"{base}/{page_id}", form)
            assert response.status_code == 303, response.content.decode()[:3000]
        client.get(f"{base}/check-answers")
        first = plan[0][0]
        client.get(f"{base}/{first}?change=1")
        client.post(f"{base}/{first}?change=1", plan[0][1])
        sent = client.post(f"{base}/check-answers", {"confirm": "yes"})
        assert sent.headers["Location"] == f"{base}/confirmation", sent.content.decode()[:3000]
    finally:
        saved_for_later.disconnect(dispatch_uid="test_no_answers")
    council = Organisation.objects.filter(slug=definition.organisation.id).first()
    worker = staff((council or organisation(definition.organisation.id), Role.CASEWORKER))
    for case in Case.objects.all():
        case = casework.claim(case, version=case.version, actor=worker)
        casework.reject(case, f"{WRONG} was not enough", version=case.version, actor=worker)
    assert rollups.roll_up() > 0  # the rollup tables are searched too

    kinds = set(apps.get_model("analytics", "Event").objects.values_list("kind", flat=True))
    assert {"page_viewed", "page_answered", "validation_error", "saved", "resumed"} <= kinds
    assert {"change_used", "submitted"} <= kinds
    assert _scan() == []


def test_the_search_would_find_an_answer_that_got_in() -> None:
    from porth.analytics.recorder import record

    record("page_answered", "a-service", page="name", detail="Quokkafern Zephyr")
    record("submitted", "a-service", value=7319)

    assert len(_scan()) == 2
