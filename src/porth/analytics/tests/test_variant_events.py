"""A page under test (experiments in the definition) tells performance data which variant
each journey saw, on every event of that page and no other."""

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from porth.analytics.models import Event
from porth.analytics.recorder import journey_key
from porth.conftest import MINIMAL
from porth.services import registry
from porth.services.service import variant_page
from porth.submissions.models import Journey

pytestmark = pytest.mark.django_db

SLUG = "test-service"
BASE = f"/services/{SLUG}"
PAGES = """
- id: name
  fields:
    - {id: full_name, type: text, label: {en: "What is your name?", cy: "Beth yw eich enw?"}}
- id: colour
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
"""


@pytest.fixture(autouse=True)
def service(tmp_path: Path, settings: Any) -> Iterator[None]:
    settings.PORTH_SERVICES_DIR = tmp_path
    pages = textwrap.indent(textwrap.dedent(PAGES).strip("\n"), "  ")
    text = MINIMAL.format(slug=SLUG, pages=pages) + textwrap.dedent(EXPERIMENTS)
    (tmp_path / f"{SLUG}.yaml").write_text(text)
    registry.reload()
    yield
    registry.reload()


@pytest.mark.parametrize("attempt", range(4))  # journeys fall in either variant
def test_the_events_of_a_page_under_test_carry_the_variant_shown(attempt: int) -> None:
    client = Client()
    client.get(f"{BASE}/name")
    client.post(f"{BASE}/name", {"full_name": ""})
    client.post(f"{BASE}/name", {"full_name": "Jo"})
    client.get(f"{BASE}/colour")
    client.get(f"{BASE}/name")

    journey = Journey.objects.get()
    definition = registry.get(SLUG)
    assert definition is not None
    shown = variant_page(definition, "name", journey.pk)[1]
    assert shown in {"name-words:a", "name-words:b"}
    events = list(Event.objects.order_by("id").values_list("kind", "page", "variant", "journey"))
    assert [(kind, page, variant) for kind, page, variant, _ in events] == [
        ("page_viewed", "name", shown),
        ("validation_error", "name", shown),
        ("page_answered", "name", shown),
        ("page_viewed", "colour", ""),
        ("page_viewed", "name", shown),
        ("back_used", "name", shown),
    ]
    assert events[2][3] == journey_key(journey.pk)
