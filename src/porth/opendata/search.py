"""Searching the catalogue, for package_search and the catalogue pages: words (`q`), filters
(`fq`, Solr's `field:value` as CKAN takes it), sort, paging and facet counts.

Facets and filters use CKAN's field names: organization, groups (themes), tags, res_format,
license_id.
"""

import re
import shlex
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from .access import visible
from .models import Dataset

FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")
_LOOKUPS = {
    "organization": "organisation__slug",
    "groups": "themes__name",
    "tags": "tags__name",
    "res_format": "resources__format",
    "license_id": "license_id",
    "name": "name",
    "id": "id",
}
SORTS = {
    "score desc": ("-modified",),
    "metadata_modified desc": ("-modified",),
    "metadata_modified asc": ("modified",),
    "metadata_created desc": ("-created",),
    "metadata_created asc": ("created",),
    "name asc": ("name",),
    "name desc": ("-name",),
    "title_string asc": ("title",),
    "title_string desc": ("-title",),
}
DEFAULT_SORT = "score desc, metadata_modified desc"
MAX_ROWS = 1000


class SearchQueryError(ValueError):
    """A `q`, `fq` or `sort` that cannot be understood (CKAN's "Search Query Error")."""


@dataclass(frozen=True)
class Query:
    q: str = ""
    fq: str = ""
    sort: str = ""
    rows: int = 10
    start: int = 0
    facet_fields: tuple[str, ...] = ()
    facet_limit: int = 50
    # The organisations the caller publishes for: their private datasets (include_private)
    # and drafts (include_drafts) are found too.
    organisations: frozenset[int] = frozenset()
    include_private: bool = False
    include_drafts: bool = False
    language: str = "en"


@dataclass
class Result:
    count: int
    # The page of datasets, in order, with organisation, tags, themes and resources loaded.
    datasets: list[Dataset]
    # Facet field → [(value, count)], most first, at most facet_limit of each.
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def _filters(fq: str) -> Q:
    condition = Q()
    try:
        terms = shlex.split(fq)
    except ValueError as error:
        raise SearchQueryError(f"Can't parse fq: {error}") from error
    for term in terms:
        term = term.lstrip("+")
        name, colon, value = term.partition(":")
        if not colon or name not in _LOOKUPS or not value:
            raise SearchQueryError(f'Can\'t parse fq term "{term}": use field:value')
        condition &= Q(**{_LOOKUPS[name]: value.strip('"')})
    return condition


def _order(sort: str) -> list[str]:
    order: list[str] = []
    for part in (sort or DEFAULT_SORT).split(","):
        key = re.sub(r"\s+", " ", part.strip().lower())
        if key not in SORTS:
            raise SearchQueryError(f'Can\'t sort by "{part.strip()}"')
        order.extend(SORTS[key])
    return [*order, "name"]


def _matching(query: Query) -> QuerySet[Dataset]:
    found = Dataset.objects.filter(
        visible(
            set(query.organisations),
            include_private=query.include_private,
            include_drafts=query.include_drafts,
        )
    )
    if query.fq.strip():
        found = found.filter(pk__in=Dataset.objects.filter(_filters(query.fq)).values("pk"))
    for word in re.findall(r"\w+", query.q):
        found = found.filter(
            Q(title__icontains=word)
            | Q(title_cy__icontains=word)
            | Q(notes__icontains=word)
            | Q(notes_cy__icontains=word)
            | Q(name__icontains=word)
            | Q(tags__name__iexact=word)
        )
    return found.distinct()


def search(query: Query) -> Result:
    if not 0 <= query.rows <= MAX_ROWS or query.start < 0:
        raise SearchQueryError(f"rows must be 0 to {MAX_ROWS} and start 0 or more")
    unknown = [name for name in query.facet_fields if name not in FACET_FIELDS]
    if unknown:
        raise SearchQueryError(f"Can't facet on {', '.join(unknown)}")
    matching = _matching(query)
    page = list(
        matching.order_by(*_order(query.sort))
        .select_related("organisation")
        .prefetch_related("tags", "themes", "resources")[query.start : query.start + query.rows]
    )
    facets: dict[str, list[tuple[str, int]]] = {}
    ids = matching.values("pk")
    for name in query.facet_fields:
        lookup = _LOOKUPS[name]
        counts = (
            Dataset.objects.filter(pk__in=ids)
            .exclude(**{f"{lookup}__isnull": True})
            .values(lookup)
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", lookup)[: query.facet_limit]
        )
        facets[name] = [(str(row[lookup]), row["n"]) for row in counts if row[lookup] != ""]
    return Result(matching.count(), page, facets)
