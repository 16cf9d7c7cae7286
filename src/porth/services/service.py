"""The services app's public API for other apps.

Other apps import this module (the live definitions, their stored versions, the parts of
the definition language, journey engine and question types they build pages with, and the
messages to applicants: `compose`, `contact`) and
`porth.services.models` (for relations); nothing else of services. A `protected`
import-linter contract (pyproject.toml) checks it.
"""

from collections.abc import Callable
from datetime import date
from functools import cache, lru_cache

from django.db import transaction
from django.utils.translation import get_language

from porth import fastpath
from porth.fastpath import sql
from porth.utils import crypto

from . import engine, experiments, questions
from .definition import CHECK_ANSWERS, Definition, Page, durations
from .definition.models import CaseAction
from .engine.compose import MissingValue, Rendered, compose, contact
from .models import DefinitionVersion
from .questions.messages import message
from .registry import definitions, get


def record_version(definition: Definition) -> DefinitionVersion:
    """The stored row for this exact definition, made the first time it is used."""
    with transaction.atomic():
        row, _ = DefinitionVersion.objects.get_or_create(
            slug=definition.slug,
            version=definition.version,
            defaults={"canonical": definition.model_dump(mode="json")},
        )
    return row


@cache
def _version_id_sql() -> str:
    quote = sql.quote
    return (
        f"SELECT {quote('id')} FROM {sql.table(DefinitionVersion)} "
        f"WHERE {quote('slug')} = %s AND {quote('version')} = %s"
    )


def version_id(definition: Definition) -> int:
    """The id of the stored row for this exact definition: one query once it exists.

    Every submission asks: with the fast path, the SQL is written once (porth.fastpath.sql)."""
    if fastpath.on("sql"):
        row = sql.one(_version_id_sql(), [definition.slug, definition.version])
        found = int(row[0]) if row else None
    else:
        found = (
            DefinitionVersion.objects.filter(slug=definition.slug, version=definition.version)
            .values_list("id", flat=True)
            .first()
        )
    return found if found is not None else record_version(definition).pk


@lru_cache(maxsize=256)
def stored_definition(slug: str, version: str, pk: int) -> Definition:
    """The definition stored as version row `pk`, parsed once per (slug, version): what a
    submission was made against, however the service has changed since."""
    row = DefinitionVersion.objects.only("canonical").get(pk=pk)
    definition = Definition.model_validate(row.canonical)
    definition.set_version(version)
    return definition


# By slug and version: the version is the hash of the definition's canonical form, so what it
# names never changes.
_stored: dict[tuple[str, str], Definition] = {}


def definition_at(slug: str, version: str) -> Definition | None:
    """The definition of service `slug` at `version`: the live one if it is that version,
    else the stored copy (None if that version was never stored). A journey saved for later
    runs on the version it was started on."""
    live = get(slug)
    if live is not None and live.version == version:
        return live
    found = _stored.get((slug, version))
    if found is None:
        row = DefinitionVersion.objects.filter(slug=slug, version=version).only("canonical").first()
        if row is None:
            return None
        found = Definition.model_validate(row.canonical)
        found.set_version(version)
        if len(_stored) >= 256:
            _stored.clear()
        _stored[slug, version] = found
    return found


def _experiment_key() -> bytes:
    # From the index key (PORTH_INDEX_KEY), under a label of its own: secret, so that nobody
    # can work out a journey's variant, and the same in every worker.
    return bytes.fromhex(crypto.keyed_hash("assignment", purpose="porth experiments v1"))


def variant_page(
    definition: Definition,
    page_id: str,
    journey_id: str,
    *,
    language: str | None = None,
    today: date | None = None,
) -> tuple[Page, str]:
    """The page as this journey sees it, with its wording in an experiment's variant, and
    the variant ("<experiment>:a" or "<experiment>:b"; "" when the page is not under test).
    Sticky: the same journey always gets the same variant (porth.services.experiments)."""
    if not definition.experiments:
        return definition.page(page_id), ""
    return experiments.page_for(
        definition,
        page_id,
        journey_id,
        key=_experiment_key(),
        language=language or get_language() or "en",
        today=today or date.today(),
    )


def new_journey_id(
    definition: Definition, draw: Callable[[], str], *, seed: str | None, today: date | None = None
) -> str:
    """An id for a new journey (from `draw`). With a `seed` that is the same for every request
    from a browser, the id gives the journey the variant the seed gives it on its first
    page, so that the page shows one wording until the journey is saved and after."""
    if not definition.experiments or not seed:
        return draw()
    today = today or date.today()
    first = engine.next_page(definition, engine.State(), today)
    if first == CHECK_ANSWERS:
        return draw()
    return experiments.steer(definition, first, seed, draw, key=_experiment_key(), today=today)


__all__ = [
    "CHECK_ANSWERS",
    "CaseAction",
    "Definition",
    "MissingValue",
    "Page",
    "Rendered",
    "compose",
    "contact",
    "definition_at",
    "definitions",
    "durations",
    "engine",
    "get",
    "message",
    "new_journey_id",
    "questions",
    "record_version",
    "stored_definition",
    "variant_page",
    "version_id",
]
