"""A page under test shows each journey its variant's words, the same on every view, from
the first view (before anything is saved) to the end; check-your-answers keeps the page's
own words. Run with the fast path on and off: a page's kept parts (shells, blank questions)
must never give one variant's words to the other."""

import secrets
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from porth.conftest import MINIMAL
from porth.services import experiments, registry
from porth.services.definition import Definition
from porth.services.service import _experiment_key, variant_page

pytestmark = pytest.mark.django_db

SLUG = "test-service"
BASE = f"/services/{SLUG}"
PAGES = """
- id: name
  fields:
    - {id: full_name, type: text, label: {en: "What is your name?", cy: "Beth yw eich enw?"},
       summary_label: {en: Name, cy: Enw}}
- id: colour
  title: {en: Your colour, cy: Eich lliw}
  fields:
    - {id: colour, type: text, label: {en: Favourite colour, cy: Hoff liw}}
"""
EXPERIMENTS = """
experiments:
  - id: name-words
    page: name
    split: 50
    b:
      fields:
        full_name:
          label: {en: "Your full name, please", cy: "Eich enw llawn, os gwelwch yn dda"}
          hint: {en: As on your passport, cy: Fel ar eich pasbort}
  - id: colour-words
    page: colour
    split: 50
    b:
      title: {en: Pick a colour, cy: Dewiswch liw}
"""
A_LABEL, B_LABEL, B_HINT = "What is your name?", "Your full name, please", "As on your passport"


@pytest.fixture
def definition(tmp_path: Path, settings: Any) -> Iterator[Definition]:
    settings.PORTH_SERVICES_DIR = tmp_path
    pages = textwrap.indent(textwrap.dedent(PAGES).strip("\n"), "  ")
    text = MINIMAL.format(slug=SLUG, pages=pages) + textwrap.dedent(EXPERIMENTS)
    (tmp_path / f"{SLUG}.yaml").write_text(text)
    registry.reload()
    found = registry.get(SLUG)
    assert found is not None
    yield found
    registry.reload()


def browser_in(definition: Definition, arm: str) -> Client:
    """A browser whose first page falls in `arm` of the first page's experiment (chosen by
    its CSRF secret, which the test sets)."""
    experiment = definition.experiments[0]
    while True:
        secret = secrets.token_hex(16)  # 32 letters and digits, as Django's are
        if experiments.arm(_experiment_key(), experiment, secret) == arm:
            client = Client()
            client.cookies["csrftoken"] = secret
            return client


def name_page(client: Client) -> str:
    response = client.get(f"{BASE}/name")
    assert response.status_code == 200
    return response.content.decode()


def journey_id(client: Client) -> str:
    found: str = client.session["journeys"][SLUG]
    return found


def test_each_variant_shows_its_words_and_never_the_others(definition: Definition) -> None:
    # In turns, so that each variant is rendered after the other has been kept.
    in_a, in_b = browser_in(definition, "a"), browser_in(definition, "b")
    for _ in range(2):
        for client, shown, hidden in ((in_a, A_LABEL, B_LABEL), (in_b, B_LABEL, A_LABEL)):
            html = name_page(client)
            assert shown in html and hidden not in html
    assert B_HINT in name_page(in_b) and B_HINT not in name_page(in_a)


def test_the_first_page_keeps_its_variant_through_errors_and_once_saved(
    definition: Definition,
) -> None:
    client = browser_in(definition, "b")
    assert B_LABEL in name_page(client)

    refused = client.post(f"{BASE}/name", {"full_name": ""})
    assert refused.status_code == 200 and B_LABEL in refused.content.decode()

    saved = client.post(f"{BASE}/name", {"full_name": "Jo Bloggs"})
    assert saved.status_code == 303
    _, variant = variant_page(definition, "name", journey_id(client))
    assert variant == "name-words:b"
    assert B_LABEL in name_page(client)  # back to it: still variant b


def test_a_later_page_shows_the_saved_journeys_variant(definition: Definition) -> None:
    seen = set()
    for _ in range(12):
        client = Client()
        client.post(f"{BASE}/name", {"full_name": "Jo Bloggs"})
        html = client.get(f"{BASE}/colour").content.decode()
        _, variant = variant_page(definition, "colour", journey_id(client))
        expected, other = (
            ("Pick a colour", "Your colour")
            if variant == "colour-words:b"
            else ("Your colour", "Pick a colour")
        )
        assert expected in html and other not in html
        seen.add(variant)
    assert seen == {"colour-words:a", "colour-words:b"}  # 12 journeys: 1 in 2,048 to fail


def test_check_your_answers_keeps_the_pages_own_words(definition: Definition) -> None:
    client = browser_in(definition, "b")
    client.post(f"{BASE}/name", {"full_name": "Jo Bloggs"})
    client.post(f"{BASE}/colour", {"colour": "Green"})
    html = client.get(f"{BASE}/check-answers").content.decode()
    assert "Name" in html and "Jo Bloggs" in html and B_LABEL not in html


def test_variant_b_in_welsh(definition: Definition) -> None:
    client = browser_in(definition, "b")
    html = client.get(f"{BASE}/name?lang=cy").content.decode()
    assert "Eich enw llawn, os gwelwch yn dda" in html and "Beth yw eich enw?" not in html
