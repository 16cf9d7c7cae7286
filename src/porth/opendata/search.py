"""Searching the catalogue, for package_search and the catalogue pages: words (`q`), filters
(`fq`, Solr's `field:value` as CKAN takes it), sort, paging and facet counts.

Words are matched with the database's full-text index (migration 0003): PostgreSQL's
tsvector with a GIN index, ranked by ts_rank; SQLite's FTS5, ranked by bm25. `q` takes web
search syntax on both: words (all must match), "a phrase", `or`, `-word`. Facets and
filters use CKAN's field names: organization, groups (themes), tags, res_format, license_id.
`fq` is read by filters.py; the count and facets are counted (and cached) by facets.py.
`search_ids` gives the page as ids (package_search makes its dicts from plain values),
`search` with the datasets loaded (the catalogue's pages). See docs/opendata-search.md.
"""

import operator
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, reduce
from typing import Any

from django.contrib.postgres.search import (
    SearchQuery,
    SearchQueryCombinable,
    SearchRank,
    SearchVectorField,
)
from django.db import connections, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy, RawSQL

from .access import visible
from .facets import counted
from .filters import LOOKUPS, RANGES, filtered, unquote
from .filters import SearchQueryError as SearchQueryError
from .models import Dataset

FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")
# "score" is the text search's rank: without words every dataset scores the same, as in CKAN.
_SCORE = "score"
SORTS = {
    "score desc": (_SCORE,),
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
# bm25 weights of the FTS5 columns: name, title, title_cy, tags, notes, notes_cy.
_BM25 = "bm25(opendata_dataset_fts, 10.0, 10.0, 10.0, 4.0, 1.0, 1.0)"
_FTS_IDS = (
    "SELECT opendata_dataset_text.dataset_id FROM opendata_dataset_fts"
    " JOIN opendata_dataset_text ON opendata_dataset_text.id = opendata_dataset_fts.rowid"
    " WHERE opendata_dataset_fts MATCH %s"
)


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
    """What `search` gives."""

    count: int
    # The page of datasets, in order, with organisation, tags, themes and resources loaded.
    datasets: list[Dataset]
    # Facet field → [(value, count)], most first, at most facet_limit of each.
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


# --- q: words, in web search syntax ------------------------------------------------------------

_Q_FIELD = re.compile(r'(?<!\S)([+-]?)([A-Za-z_]+):("(?:[^"\\]|\\.)*"|\[[^\]]*\]|\([^)]*\)|\S+)')
_WEB_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def _split_q(q: str) -> tuple[str, str]:
    """`q` as (words, filters): CKAN lets `field:value` be written in q; a field that is a
    filter here (tags:x) becomes one, any other (title:x) leaves its value as words."""
    q = q.strip()
    if q in {"*:*", "*"}:
        return "", ""
    filters: list[str] = []

    def pick(match: re.Match[str]) -> str:
        if match[2] in LOOKUPS or match[2] in RANGES:
            filters.append(match[0])
            return " "
        return f" {unquote(match[3])} "

    words = _Q_FIELD.sub(pick, q).strip()
    return (words if re.search(r"\w", words) else ""), " ".join(filters)


# Web search syntax as groups joined by "or", each (words and phrases wanted, not wanted).
Groups = list[tuple[list[str], list[str]]]


def _web_terms(words: str) -> Groups:
    """Words (all wanted), "a phrase", `or` between two, `-word` or `-"a phrase"` unwanted."""
    groups: Groups = [([], [])]
    for match in _WEB_TOKEN.finditer(words):
        unwanted, text = bool(match[1]), match[2] if match[2] is not None else match[3]
        if match[3] is not None and match[3].lower() == "or":
            if groups[-1][0] or groups[-1][1]:
                groups.append(([], []))
            continue
        if match[3] is not None and text.startswith("-") and len(text) > 1:
            unwanted, text = True, text[1:]
        if re.search(r"\w", text):
            groups[-1][1 if unwanted else 0].append(text)
    return groups


def _fts5(groups: Groups) -> tuple[str, str]:
    """As FTS5 expressions: (what must match, what must not), either may be empty. Every word
    and phrase is quoted, so nothing typed is FTS5 syntax."""

    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    positive = [
        f"(({' AND '.join(map(quoted, wanted))}){''.join(f' NOT {quoted(n)}' for n in unwanted)})"
        for wanted, unwanted in groups
        if wanted
    ]
    if positive:
        return " OR ".join(positive), ""
    return "", " OR ".join(quoted(n) for _, unwanted in groups for n in unwanted)


def _either_language(text: str, *, unwanted: bool = False) -> SearchQueryCombinable:
    # English words are stemmed in the index, Welsh ones ('simple') are not: a word is looked
    # for both ways, and an unwanted word must be absent both ways.
    english = SearchQuery(text, config="english", search_type="phrase", invert=unwanted)
    simple = SearchQuery(text, config="simple", search_type="phrase", invert=unwanted)
    return english & simple if unwanted else english | simple


def _tsquery(groups: Groups) -> tuple[SearchQueryCombinable | None, SearchQueryCombinable | None]:
    """As PostgreSQL text queries: (what must match, what must not), either may be None."""
    found: SearchQueryCombinable | None = None
    for wanted, unwanted in groups:
        if not wanted:
            continue
        group = reduce(operator.and_, map(_either_language, wanted))
        for text in unwanted:
            group &= _either_language(text, unwanted=True)
        found = group if found is None else found | group
    if found is not None:
        return found, None
    unwanted_texts = [text for _, unwanted in groups for text in unwanted]
    if not unwanted_texts:
        return None, None
    return None, reduce(operator.or_, map(_either_language, unwanted_texts))


@cache
def _sqlite_has_fts5() -> bool:
    # The same check as migration 0003, which makes the FTS5 index only where it can.
    with sqlite3.connect(":memory:") as probe:
        options = {row[0] for row in probe.execute("PRAGMA compile_options")}
    return "ENABLE_FTS5" in options


Ranking = Callable[[QuerySet[Dataset]], tuple[QuerySet[Dataset], OrderBy]]


def _with_words(found: QuerySet[Dataset], words: str) -> tuple[QuerySet[Dataset], Ranking | None]:
    """`found` narrowed to the datasets matching `words`, and how to rank a page of them by
    best match (None: unranked)."""
    vendor = connections[found.db].vendor
    groups = _web_terms(words)
    if vendor == "postgresql":
        query, excluded = _tsquery(groups)
        # Unqualified, so that it names the dataset table of whichever (sub)query it is in.
        document = RawSQL("search_document", (), output_field=SearchVectorField())
        found = found.alias(document=document)
        if excluded is not None:
            found = found.exclude(document=excluded)
        if query is None:
            return found, None
        found = found.filter(document=query)

        def by_rank(page: QuerySet[Dataset]) -> tuple[QuerySet[Dataset], OrderBy]:
            return page.alias(score=SearchRank(F("document"), query)), F("score").desc()

        return found, by_rank
    if vendor == "sqlite" and _sqlite_has_fts5():
        wanted, unwanted = _fts5(groups)
        if unwanted:
            found = found.exclude(pk__in=RawSQL(_FTS_IDS, (unwanted,)))
        if not wanted:
            return found, None
        found = found.filter(pk__in=RawSQL(_FTS_IDS, (wanted,)))

        def by_bm25(page: QuerySet[Dataset]) -> tuple[QuerySet[Dataset], OrderBy]:
            # bm25 needs the FTS5 table in the query itself, which only extra() can add; only
            # the page's query has it (extra()'s SQL would not follow a subquery's aliases).
            page = page.extra(
                tables=["opendata_dataset_text", "opendata_dataset_fts"],
                where=[
                    "opendata_dataset_text.dataset_id = opendata_dataset.id",
                    "opendata_dataset_fts.rowid = opendata_dataset_text.id",
                    "opendata_dataset_fts MATCH %s",
                ],
                params=[wanted],
            )
            return page, RawSQL(_BM25, ()).asc()  # bm25: lower is better

        return found, by_bm25
    # No full-text index (an SQLite built without FTS5): every word somewhere, unranked.
    for word in re.findall(r"\w+", words):
        found = found.filter(
            Q(title__icontains=word)
            | Q(title_cy__icontains=word)
            | Q(notes__icontains=word)
            | Q(notes_cy__icontains=word)
            | Q(name__icontains=word)
            | Q(pk__in=Dataset.objects.filter(tags__name__iexact=word).values("pk"))
        )
    return found, None


def _order(sort: str, score: OrderBy | None) -> list[str | OrderBy]:
    order: list[str | OrderBy] = []
    for part in (sort or DEFAULT_SORT).split(","):
        key = re.sub(r"\s+", " ", part.strip().lower())
        if key not in SORTS:
            known = ", ".join(f'"{name}"' for name in SORTS)
            raise SearchQueryError(f'Can\'t sort by "{part.strip()}": use one of {known}')
        for column in SORTS[key]:
            if column != _SCORE:
                order.append(column)
            elif score is not None:
                order.append(score)
    return [*order, "name"]


@dataclass
class Found:
    """What `find` gives: the count, the page as dataset ids in order, and the facets."""

    count: int
    ids: list[Any]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


@contextmanager
def _planned_for(words: str, database: str) -> Iterator[None]:
    """On PostgreSQL, a search with words planned for its own words. psycopg prepares a
    statement run five times on a connection (settings), and PostgreSQL may then reuse a
    generic plan, which cannot know how many datasets a word matches: it guesses few, and
    drives a word-and-filter search by the text index (15 ms where the custom plan takes 1 ms
    at 10,000 datasets). SET LOCAL lasts to the end of this transaction only."""
    if not words or connections[database].vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=database):
        with connections[database].cursor() as cursor:
            cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        yield


def search_ids(query: Query) -> Found:
    """The search without model instances: the page's ids, the count and the facets."""
    if not 0 <= query.rows <= MAX_ROWS or query.start < 0:
        raise SearchQueryError(f"rows must be 0 to {MAX_ROWS} and start 0 or more")
    unknown = [name for name in query.facet_fields if name not in FACET_FIELDS]
    if unknown:
        raise SearchQueryError(f"Can't facet on {', '.join(unknown)}")
    if query.facet_limit < 0:
        raise SearchQueryError("facet.limit must be 0 or more")
    words, q_filters = _split_q(query.q)
    matching = Dataset.objects.filter(
        visible(
            set(query.organisations),
            include_private=query.include_private,
            include_drafts=query.include_drafts,
        )
    )
    matching = filtered(matching, f"{query.fq} {q_filters}")
    ranking: Ranking | None = None
    if words:
        matching, ranking = _with_words(matching, words)
    ranked, score = ranking(matching) if ranking else (matching, None)
    order = _order(query.sort, score)
    ids: list[Any] = []
    # What decides the matches, for the cache of counts and facets; NOW changes by itself.
    fq = f"{query.fq} {q_filters}"
    key = (
        ()
        if "NOW" in fq
        else (words, fq, sorted(query.organisations), query.include_private, query.include_drafts)
    )
    with _planned_for(words, matching.db):
        if query.rows:
            page = ranked.order_by(*order).values_list("pk", flat=True)
            ids = list(page[query.start : query.start + query.rows])
        count, facets = counted(matching, key, query.facet_fields, query.facet_limit)
    return Found(count, ids, facets)


def search(query: Query) -> Result:
    """The search with the page's datasets loaded (organisation, tags, themes, resources)."""
    found = search_ids(query)
    loaded = (
        Dataset.objects.filter(pk__in=found.ids)
        .select_related("organisation")
        .prefetch_related("tags", "themes", "resources")
        .in_bulk()
    )
    page = [loaded[key] for key in found.ids if key in loaded]
    return Result(found.count, page, found.facets)
