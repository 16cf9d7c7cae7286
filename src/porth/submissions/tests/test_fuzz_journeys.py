"""Anything at all posted to every question page of every example service, in English and
Welsh: never a server error, and never a citizen's markup sent back unescaped.

Each page is reached as a citizen reaches it, by posting good answers along a way the engine
finds (routes.py); then arbitrary text goes to every input of the page.
"""

from datetime import date

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from porth.services import questions, registry
from porth.services.definition import Page
from porth.utils.tests.hostile import TEXT, assert_safe

from .routes import ways

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


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
        assert_safe(client.post(f"{url}?lang=cy" if welsh else url, form))

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
