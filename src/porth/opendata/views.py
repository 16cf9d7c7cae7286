"""The catalogue's public pages for finding data, at CKAN's addresses: search (/dataset),
organisations (/organization) and themes (/group); and what its other pages (dataset_views.py)
share with them: who sees what, paging, dates.

Anyone sees active public datasets. A signed-in data publisher (both factors) also sees their
organisations' private datasets and drafts, marked as such; everyone else gets a 404 for them,
as for a dataset that does not exist. Every page works without JavaScript.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    QueryDict,
)
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from porth.accounts.models import Organisation
from porth.accounts.service import signed_in_staff

from .access import publishing_organisations
from .models import State, Theme
from .search import FACET_FIELDS, Query, Result, SearchQueryError, search
from .search import SORTS as SEARCH_SORTS
from .vocabularies import licence

PER_PAGE = 20
FACET_LIMIT = 10
# The sorts the page offers (CKAN's names, as its own search page uses them), first the default.
SORTS = ("score desc, metadata_modified desc", "metadata_modified desc", "title_string asc")


def _sort_labels() -> dict[str, str]:
    return {
        SORTS[0]: _("Best match"),
        SORTS[1]: _("Recently updated"),
        SORTS[2]: _("Name (A to Z)"),
    }


def _facet_labels() -> dict[str, str]:
    return {
        "organization": _("Organisation"),
        "groups": _("Theme"),
        "res_format": _("Format"),
        "license_id": _("Licence"),
        "tags": _("Tag"),
    }


def long_date(value: date | datetime) -> str:
    """4 June 2025, in the page's language (a time as the day it is in the UK)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return date_format(value, "j F Y")


def render_catalogue(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render a catalogue page. Its language switch keeps the rest of the address (the
    search, the filters, the page of a table), so the reader stays where they were."""
    switch = "cy" if get_language() != "cy" else "en"
    context["language_switch"] = with_query(request.GET, lang=switch)
    return render(request, template, context, status=status)


def publishing(request: HttpRequest) -> set[int]:
    """The organisations the visitor publishes for: none unless signed in with both factors."""
    if not signed_in_staff(request):
        return set()
    return publishing_organisations(request.user)  # type: ignore[arg-type]


def personal(response: HttpResponse, organisations: set[int]) -> HttpResponse:
    # A publisher's results may hold their private datasets and drafts: for them only.
    if organisations:
        patch_cache_control(response, private=True, no_store=True)
    return response


def page_number(request: HttpRequest) -> int:
    """?page=N, from 1; anything else is a page that does not exist."""
    raw = request.GET.get("page", "1")
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= 100_000:
        raise Http404
    return int(raw)


def with_query(params: QueryDict, **changes: Any) -> str:
    """The query string of `params` with some keys changed (None removes one)."""
    query = params.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    return "?" + query.urlencode() if query else "?"


def pagination(
    request: HttpRequest, page: int, count: int, per_page: int = PER_PAGE
) -> dict[str, Any]:
    """GOV.UK pagination's items: the first and last pages, and those next to this one."""
    last = max(1, -(-count // per_page))
    params = request.GET
    shown = {1, last, *range(max(1, page - 1), min(last, page + 1) + 1)}
    # An ellipsis never stands for a single page: that page is shown instead.
    shown |= {n + 1 for n in shown if n + 2 in shown and n + 1 not in shown}
    items: list[dict[str, Any]] = []
    for number in sorted(shown):
        if items and number > items[-1]["number"] + 1:
            items.append({"ellipsis": True, "number": number - 1})
        items.append(
            {
                "number": number,
                "href": with_query(params, page=number if number > 1 else None),
                "current": number == page,
                "visuallyHiddenText": _("Page %(number)d") % {"number": number},
            }
        )
    return {
        "last": last,
        "items": items if last > 1 else [],
        "previous": with_query(params, page=page - 1 if page > 2 else None) if page > 1 else "",
        "next": with_query(params, page=page + 1) if page < last else "",
    }


# --- Finding datasets --------------------------------------------------------------------------


@dataclass
class Option:
    value: str
    label: str
    count: int
    checked: bool


def _facet_names(
    result: Result, chosen: dict[str, list[str]], language: str
) -> dict[str, dict[str, str]]:
    """How each facet value is shown: an organisation's or theme's name, a licence's title."""
    wanted = {
        name: {v for v, _ in result.facets.get(name, [])} | set(chosen.get(name, []))
        for name in FACET_FIELDS
    }
    names: dict[str, dict[str, str]] = {name: {} for name in FACET_FIELDS}
    for org in Organisation.objects.filter(slug__in=wanted["organization"]):
        names["organization"][org.slug] = (language == "cy" and org.name_cy) or org.name
    for theme in Theme.objects.filter(name__in=wanted["groups"]):
        names["groups"][theme.name] = (language == "cy" and theme.title_cy) or theme.title
    for value in wanted["license_id"]:
        term = licence(value)
        names["license_id"][value] = term.label(language) if term else value
    return names


def _facets(result: Result, chosen: dict[str, list[str]], language: str) -> list[dict[str, Any]]:
    names = _facet_names(result, chosen, language)
    labels = _facet_labels()
    facets = []
    for name in FACET_FIELDS:
        counts = dict(result.facets.get(name, []))
        # A chosen value stays listed (to untick) even when nothing matches it any more.
        values = [*counts, *(v for v in chosen.get(name, []) if v not in counts)]
        options = [
            Option(
                value,
                names[name].get(value, value),
                counts.get(value, 0),
                value in chosen.get(name, []),
            )
            for value in values
        ]
        if options:
            facets.append({"name": name, "label": labels[name], "options": options})
    return facets


def _filter_query(chosen: dict[str, list[str]]) -> str:
    """Solr's syntax: the values ticked in one filter are alternatives (OR), and the filters
    all apply (AND), as people expect of checkboxes: two organisations ticked show the
    datasets of both. A value that could break the quoting matches nothing a facet could
    offer, so it is left out."""
    terms = []
    for name, values in chosen.items():
        quoted = [f'"{value}"' for value in values if '"' not in value and "\\" not in value]
        if quoted:
            terms.append(f"{name}:({' OR '.join(quoted)})")
    return " ".join(terms)


@require_safe
def datasets(request: HttpRequest) -> HttpResponse:
    language = get_language()
    page = page_number(request)
    q = request.GET.get("q", "").strip()[:200]
    chosen = {
        name: sorted({v.strip()[:100] for v in request.GET.getlist(name) if v.strip()})[:20]
        for name in FACET_FIELDS
    }
    chosen = {name: values for name, values in chosen.items() if values}
    sort = request.GET.get("sort", "").strip() or SORTS[0]
    errors: list[dict[str, str]] = []
    # A link from a CKAN site may use one of its other sorts (`name desc`): kept if the search
    # knows it, and shown in the list as itself.
    if sort not in SORTS and sort.lower() not in SEARCH_SORTS:
        errors.append({"text": _("Choose how to sort the datasets from the list"), "href": "#sort"})
        sort = SORTS[0]
    organisations = publishing(request)
    query = Query(
        q=q,
        fq=_filter_query(chosen),
        sort=sort,
        rows=PER_PAGE,
        start=(page - 1) * PER_PAGE,
        facet_fields=FACET_FIELDS,
        facet_limit=FACET_LIMIT,
        organisations=frozenset(organisations),
        include_private=bool(organisations),
        include_drafts=bool(organisations),
        language=language,
    )
    try:
        result = search(query)
    except SearchQueryError:
        result = Result(0, [], {})
        errors.append(
            {
                "text": _(
                    "Your search could not be understood. Check the quotation marks and brackets in it, or use fewer words."
                ),
                "href": "#q",
            }
        )
    if page > 1 and not result.datasets and not errors:
        raise Http404
    context = {
        "title": _("Find open data"),
        "q": q,
        "sort": sort,
        "sorts": {**_sort_labels(), **({} if sort in SORTS else {sort: sort})},
        "result": result,
        "facets": _facets(result, chosen, language),
        "filtered": bool(chosen),
        "clear_filters": "/dataset" + ("?" + urlencode({"q": q}) if q else ""),
        "pagination": pagination(request, page, result.count),
        "errors": errors,
    }
    response = render_catalogue(
        request, "opendata/datasets.html", context, status=400 if errors else 200
    )
    return personal(response, organisations)


# --- Organisations and themes ------------------------------------------------------------------

_PUBLIC = Q(datasets__state=State.ACTIVE, datasets__private=False)


def _listing(request: HttpRequest, fq: str) -> tuple[Result, dict[str, Any]]:
    page = page_number(request)
    organisations = publishing(request)
    result = search(
        Query(
            fq=fq,
            sort="title_string asc",
            rows=PER_PAGE,
            start=(page - 1) * PER_PAGE,
            organisations=frozenset(organisations),
            include_private=bool(organisations),
            include_drafts=bool(organisations),
            language=get_language(),
        )
    )
    if page > 1 and not result.datasets:
        raise Http404
    return result, pagination(request, page, result.count)


@require_safe
def organisations(request: HttpRequest) -> HttpResponse:
    language = get_language()
    rows = Organisation.objects.annotate(count=Count("datasets", filter=_PUBLIC)).filter(
        count__gt=0
    )
    items = sorted(
        (((language == "cy" and o.name_cy) or o.name, o.slug, o.count) for o in rows),
        key=lambda item: item[0].lower(),
    )
    return render_catalogue(
        request, "opendata/organisations.html", {"title": _("Organisations"), "items": items}
    )


@require_safe
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Organisation, slug=slug)
    result, pages = _listing(request, f'organization:"{found.slug}"')
    name = (get_language() == "cy" and found.name_cy) or found.name
    context = {
        "title": name,
        "result": result,
        "pagination": pages,
        "search": "/dataset?" + urlencode({"organization": found.slug}),
        "kind": "organisation",
    }
    return personal(
        render_catalogue(request, "opendata/listing.html", context), publishing(request)
    )


@require_safe
def themes(request: HttpRequest) -> HttpResponse:
    language = get_language()
    rows = Theme.objects.annotate(count=Count("datasets", filter=_PUBLIC))
    items = sorted(
        (((language == "cy" and t.title_cy) or t.title, t.name, t.count) for t in rows),
        key=lambda item: item[0].lower(),
    )
    return render_catalogue(request, "opendata/themes.html", {"title": _("Themes"), "items": items})


@require_safe
def theme(request: HttpRequest, name: str) -> HttpResponse:
    found = get_object_or_404(Theme, name=name)
    result, pages = _listing(request, f'groups:"{found.name}"')
    language = get_language()
    context = {
        "title": (language == "cy" and found.title_cy) or found.title,
        "description": (language == "cy" and found.description_cy) or found.description,
        "result": result,
        "pagination": pages,
        "search": "/dataset?" + urlencode({"groups": found.name}),
        "kind": "theme",
    }
    return personal(
        render_catalogue(request, "opendata/listing.html", context), publishing(request)
    )
