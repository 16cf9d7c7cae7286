"""Fixtures shared by every app's tests."""

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture
def analytics_batched(settings: Any, db: None) -> Iterator[None]:
    """Performance data buffered as in production (PORTH_ANALYTICS_FLUSH_SECONDS > 0), not
    written at once as the test settings have it: for tests that count a page's queries, to
    count the page's own. The buffer is written at the end, inside the test's transaction."""
    from porth.analytics import recorder

    settings.PORTH_ANALYTICS_FLUSH_SECONDS = 3600.0
    settings.PORTH_ANALYTICS_BATCH = 100_000
    yield
    recorder.flush()


def pytest_runtest_setup(item: pytest.Item) -> None:
    """`@pytest.mark.fast_path("name", …)`: a test of those optimisations themselves, skipped
    when PORTH_FAST_PATH leaves any of them out (the behaviour tests run in both modes)."""
    from porth import fastpath

    for mark in item.iter_markers("fast_path"):
        off = [name for name in mark.args if not fastpath.on(name)]
        if off:
            pytest.skip(f"PORTH_FAST_PATH leaves out {', '.join(off)}")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Let the test runner empty the audit tables of its own PostgreSQL databases: Django
    does so with TRUNCATE between transactional tests, which the audit log's triggers refuse
    unless `audit_may_empty()` says yes (audit migration 0004). Tests that check the refusal
    put the refusing function back inside their transaction."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE FUNCTION audit_may_empty() RETURNS boolean LANGUAGE sql AS "
            "$$ SELECT true $$"
        )
