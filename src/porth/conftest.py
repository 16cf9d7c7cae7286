"""Fixtures shared by every app's tests."""

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings

from porth.services import registry
from porth.services.definition import Definition, parse

EXAMPLES = Path(settings.PROJECT_DIR) / "services"

MINIMAL = """
slug: {slug}
name: {{en: Test service, cy: Gwasanaeth prawf}}
summary: {{en: For tests, cy: Ar gyfer profion}}
organisation: {{id: test-council, name: {{en: Test Council, cy: Cyngor Prawf}}}}
start: {{body: {{en: Use this service to test., cy: Defnyddiwch y gwasanaeth hwn i brofi.}}}}
declaration: {{body: {{en: It is true., cy: Mae'n wir.}}}}
confirmation: {{body: {{en: We will reply., cy: Byddwn yn ateb.}}}}
pages:
{pages}
"""


def make_definition(pages: str, slug: str = "test-service") -> Definition:
    """A definition around the given `pages:` YAML (indented or not)."""
    body = textwrap.indent(textwrap.dedent(pages).strip("\n"), "  ")
    return parse(MINIMAL.format(slug=slug, pages=body), "test.yaml")


@pytest.fixture
def definition_from() -> Callable[[str], Definition]:
    return make_definition


@pytest.fixture
def services_dir(tmp_path: Path, settings: object) -> Iterator[Callable[..., Definition]]:
    """Serve definitions written by the test instead of the examples."""
    settings.PORTH_SERVICES_DIR = tmp_path  # type: ignore[attr-defined]
    registry.reload()

    def add(pages: str, slug: str = "test-service") -> Definition:
        definition = make_definition(pages, slug)
        body = textwrap.indent(textwrap.dedent(pages).strip("\n"), "  ")
        (tmp_path / f"{slug}.yaml").write_text(MINIMAL.format(slug=slug, pages=body))
        registry.reload()
        return definition

    yield add
    registry.reload()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """`@pytest.mark.fast_path("name", …)`: a test of those optimisations themselves, skipped
    when PORTH_FAST_PATH leaves any of them out (the behaviour tests run in both modes)."""
    from porth import fastpath

    for mark in item.iter_markers("fast_path"):
        off = [name for name in mark.args if not fastpath.on(name)]
        if off:
            pytest.skip(f"PORTH_FAST_PATH leaves out {', '.join(off)}")
