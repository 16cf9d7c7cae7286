"""Counting a search's matches and its facets, cached under the catalogue's version.

The count and facets of a search are most of its cost (grouped queries over every matching
dataset: its tags, themes, formats), while its page is cheap. They depend only on the
catalogue's contents and the search's words, filters and who asks, so they are kept in
Django's cache under those and the catalogue's version (models.CatalogueVersion), which the
database changes in the same transaction as every write: a write makes a new key, and no
cached count or facet outlives what it counted. The catalogue's front page (no words, facets
on every field) is then one small query for the version.
"""

import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.db.models import Count, QuerySet

from .models import CatalogueVersion, Dataset

Facets = dict[str, list[tuple[str, int]]]
# Long enough to serve a busy hour's front pages; a write makes a new key anyway.
TIMEOUT_SECONDS = 60 * 60
_COLUMNS = {
    "organization": "organisation__slug",
    "groups": "themes__name",
    "tags": "tags__name",
    "res_format": "resources__format",
    "license_id": "license_id",
}


def _facet(name: str, matching: QuerySet[Dataset], limit: int) -> list[tuple[str, int]]:
    """One facet's counts over the matching datasets, in one query: grouped straight from
    them, not from their ids (no second pass over the datasets). `matching` has no joins of
    its own (filters are subqueries), so each dataset is counted once per value; a dataset
    with two CSV files is counted once (DISTINCT)."""
    column = _COLUMNS[name]
    rows: QuerySet[Any, Any] = (
        matching.filter(**{f"{column}__gt": ""})
        .values(column)
        .annotate(n=Count("pk", distinct=name == "res_format"))
        .order_by("-n", column)[:limit]
    )
    return [(str(row[column]), int(row["n"])) for row in rows]


def _version(database: str) -> str | None:
    # None where the row is missing (a test that emptied the tables): then nothing is cached.
    return CatalogueVersion.objects.using(database).values_list("version", flat=True).first()


def counted(
    matching: QuerySet[Dataset],
    search: Sequence[object],
    fields: Sequence[str],
    limit: int,
) -> tuple[int, Facets]:
    """How many datasets match and the facets `fields` (at most `limit` values each).
    `search` is what decides which datasets match (words, filters, who asks), for the cache
    key; an empty one is not cached."""
    version = _version(matching.db) if search else None
    key = ""
    if version is not None:
        text = repr((version, tuple(search), tuple(fields), limit))
        key = "opendata.search." + hashlib.sha256(text.encode()).hexdigest()
        if (found := cache.get(key)) is not None:
            return found
    answer = (matching.count(), {name: _facet(name, matching, limit) for name in fields})
    if key:
        cache.set(key, answer, TIMEOUT_SECONDS)
    return answer
