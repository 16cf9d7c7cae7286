"""Anything at all posted to every question page of every example service, in English and
Welsh: never a server error, and never a citizen's markup sent back unescaped.

Each page is reached as a citizen reaches it, by posting good answers along a way the engine
finds (routes.py); then arbitrary text goes to every input of the page.
"""

from datetime import date
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from porth.services import questions, registry
from porth.services.definition import Page

from .routes import Form, ways

pytestmark = pytest.mark.django_db

# Markup a citizen might post; none may come back as markup.
MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><script>alert(2)</script>",
    "<a href='javascript:alert(3)'>x</a>",
]
_ANY = st.characters(exclude_categories=["Cs"])  # surrogates cannot be sent as UTF-8
_DIGITS = st.characters(categories=["Nd", "No"])  # every script's digits, superscripts
_SHORT = st.text(_ANY, max_size=20)
TEXT = st.one_of(
    st.text(_ANY, max_size=80),  # any Unicode, control characters too
    st.builds(lambda a, m, b: a + m + b, _SHORT, st.sampled_from(MARKUP), _SHORT),
    st.text(_DIGITS, min_size=1, max_size=6),
    # Long, in orders of magnitude: up to past what a body may hold.
    st.builds(
        lambda unit, power: unit * 10**power,
        st.one_of(st.text(_ANY, min_size=1, max_size=4), st.text(_DIGITS, min_size=1, max_size=2)),
        st.integers(1, 6),
    ),
)
EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _check(response: Any, posted: Form) -> None:
    assert response.status_code < 500, response.status_code
    if response.status_code == 200:
        html = response.content.decode()
        sent = [
            v for value in posted.values() for v in (value if isinstance(value, list) else [value])
        ]
        for markup in MARKUP:
            assert not any(markup in text for text in sent) or markup not in html


def _fuzz(client: Client, url: str, page: Page) -> None:
    keys = [
        (key, q.type == "checkboxes") for q in page.fields for key in questions.get(q.type).keys(q)
    ]

    @EXAMPLES
    @given(
        texts=st.lists(
            st.lists(TEXT, min_size=1, max_size=3), min_size=len(keys), max_size=len(keys)
        ),
        welsh=st.booleans(),
    )
    def post_anything(texts: list[list[str]], welsh: bool) -> None:
        form = {
            key: many if several else many[0]
            for (key, several), many in zip(keys, texts, strict=True)
        }
        _check(client.post(f"{url}?lang=cy" if welsh else url, form), form)

    post_anything()


@pytest.mark.parametrize("slug", sorted(registry.definitions()))
def test_no_post_to_any_question_page_is_a_server_error_or_echoes_markup(slug: str) -> None:
    definition = registry.definitions()[slug]
    routes = ways(definition, date.today())
    assert set(routes) == {page.id for page in definition.pages if page.fields}, "pages unreached"
    fuzzed: set[str] = set()
    # The longest ways first: each walk fuzzes every page on its way not fuzzed yet.
    for target, steps in sorted(routes.items(), key=lambda item: -len(item[1])):
        if target in fuzzed:
            continue
        client = Client()
        for page_id, form in [*steps, (target, None)]:
            url = f"/services/{slug}/{page_id}"
            if page_id not in fuzzed:
                _fuzz(client, url, definition.page(page_id))
                fuzzed.add(page_id)
            if form is not None:
                assert client.post(url, form).status_code == 303, (page_id, form)
    assert set(routes) <= fuzzed
