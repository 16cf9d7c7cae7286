"""The CKAN actions that read (api.py wraps them in CKAN's envelope). Each takes the call's
parameters as CKAN names them and gives back what CKAN's action of that name gives back.

Reads see what the caller may see (access.py): public active datasets for anyone, and a
publisher's own private datasets and drafts when asked. The writes are in api_writes.py.
"""

import inspect
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.query import QuerySet

from porth.accounts.models import Organisation, Role, User

from . import actions
from .access import may_see, visible
from .api import ACTIONS, Call, NotFound, action
from .api_params import as_uuid, boolean, identifier, loaded, names, number, resource_by_id, text
from .datasets import Invalid, find, organisation_of
from .models import Dataset, Resource, State, Tag, Theme
from .packages import (
    ckan_time,
    group_dict,
    licence_list,
    organization_dict,
    package_dict,
    package_dicts,
    resource_dict,
)
from .search import DEFAULT_SORT, MAX_ROWS, Query, search_ids
from .vocabularies import licence

# Which CKAN version's API this one follows, for clients that ask status_show.
CKAN_VERSION = "2.10.0"


def _dataset(call: Call, *keys: str) -> Dataset:
    """The dataset named by id or name, if the caller may see it (else CKAN's 403)."""
    wanted = identifier(call.params, *keys)
    found = find(wanted, loaded(Dataset.objects.all()))
    if found is None:
        raise NotFound("Dataset not found")
    if not may_see(found, call.organisations):
        raise actions.NotAuthorised(f"You may not read the dataset {wanted}")
    return found


def _resource(call: Call) -> Resource:
    found = resource_by_id(call)
    if not may_see(found.dataset, call.organisations):
        raise actions.NotAuthorised("You may not read this resource")
    return found


# Reading --------------------------------------------------------------------------------


@action()
def package_list(call: Call) -> list[str]:
    """The names of the public datasets, by name.

    limit, offset: a page of them. A publisher's tool may add include_private and
    include_drafts (as `ckanapi dump datasets --all --include-private` does)."""
    limit = number(call.params, "limit", 0)
    offset = number(call.params, "offset", 0)
    found = (
        Dataset.objects.filter(
            visible(
                call.organisations,
                include_private=boolean(call.params.get("include_private")),
                include_drafts=boolean(call.params.get("include_drafts")),
            )
        )
        .order_by("name")
        .values_list("name", flat=True)
    )
    return list(found[offset : offset + limit] if limit else found[offset:])


def _facet_titles(name: str, values: list[str]) -> dict[str, str]:
    if name == "organization":
        return dict(Organisation.objects.filter(slug__in=values).values_list("slug", "name"))
    if name == "groups":
        return dict(Theme.objects.filter(name__in=values).values_list("name", "title"))
    if name == "license_id":
        return {value: term.en for value in values if (term := licence(value))}
    return {}


@action()
def package_search(call: Call) -> dict[str, Any]:
    """Search the datasets.

    q: words (CKAN's Solr syntax is not offered beyond field:value); fq: filters such as
    `organization:example-council tags:roads res_format:CSV`; sort: e.g. `metadata_modified
    desc`; rows (default 10, at most 1000) and start: a page; facet.field: a JSON list of
    organization, groups, tags, res_format, license_id; facet.limit (default 50, -1 for all);
    include_private and include_drafts: a publisher's own too."""
    params = call.params
    q = text(params, "q")
    fq = " ".join([text(params, "fq"), *names(params, "fq_list")]).strip()
    facet_fields = names(params, "facet.field") if boolean(params.get("facet", True)) else []
    facet_limit = number(params, "facet.limit", 50, natural=False)
    sort = text(params, "sort")
    result = search_ids(
        Query(
            q="" if q == "*:*" else q,
            fq=fq,
            sort=sort,
            # CKAN caps rows at its maximum rather than refusing more.
            rows=min(number(params, "rows", 10), MAX_ROWS),
            start=number(params, "start", 0),
            facet_fields=tuple(facet_fields),
            facet_limit=facet_limit if facet_limit >= 0 else 10_000,
            organisations=frozenset(call.organisations),
            include_private=boolean(params.get("include_private")),
            include_drafts=boolean(params.get("include_drafts")),
        )
    )
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, Any] = {}
    for name, counts in result.facets.items():
        titles = _facet_titles(name, [value for value, _ in counts])
        facets[name] = dict(counts)
        search_facets[name] = {
            "title": name,
            "items": [
                {"name": value, "display_name": titles.get(value, value), "count": count}
                for value, count in counts
            ],
        }
    return {
        "count": result.count,
        "results": package_dicts(result.ids, call.request),
        "facets": facets,
        "search_facets": search_facets,
        "sort": sort or DEFAULT_SORT,
    }


@action()
def package_show(call: Call) -> dict[str, Any]:
    """One dataset, by id or name. A private dataset or a draft is only for its
    organisation's publishers: anyone else gets an Authorization Error, as from CKAN."""
    return package_dict(_dataset(call, "id", "name"), call.request)


@action()
def resource_show(call: Call) -> dict[str, Any]:
    """One resource (a file or link of a dataset), by id."""
    return resource_dict(_resource(call), call.request)


def _public_counts() -> Q:
    return Q(datasets__state=State.ACTIVE, datasets__private=False)


def _page(params: dict[str, Any], items: QuerySet[Any]) -> QuerySet[Any]:
    limit = number(params, "limit", 0)
    offset = number(params, "offset", 0)
    return items[offset : offset + limit] if limit else items[offset:]


def _order(params: dict[str, Any], by_title: str) -> list[str]:
    sort = text(params, "sort").lower() or "name asc"
    orders = {
        "name asc": ["name_key"],
        "name desc": ["-name_key"],
        "title asc": [by_title],
        "title desc": [f"-{by_title}"],
        "package_count desc": ["-package_count", "name_key"],
        "package_count asc": ["package_count", "name_key"],
    }
    if sort not in orders:
        raise Invalid({"sort": [f"Can't sort by {sort}: use name, title or package_count"]})
    return orders[sort]


@action()
def organization_list(call: Call) -> list[Any]:
    """The organisations' names, or with all_fields their details and package_count.
    sort: name asc (default), title asc, package_count desc; limit and offset."""
    organisations = Organisation.objects.annotate(
        package_count=Count("datasets", filter=_public_counts()), name_key=F("slug")
    ).order_by(*_order(call.params, "name"))
    page = list(_page(call.params, organisations))
    if not boolean(call.params.get("all_fields")):
        return [organisation.slug for organisation in page]
    return [organization_dict(o, package_count=o.package_count) for o in page]


def _packages(call: Call, fq: str) -> list[dict[str, Any]]:
    found = search_ids(Query(fq=fq, rows=MAX_ROWS, organisations=frozenset(call.organisations)))
    return package_dicts(found.ids, call.request)


@action()
def organization_show(call: Call) -> dict[str, Any]:
    """One organisation, by name or id; include_datasets: its public datasets too."""
    organisation = organisation_of(identifier(call.params, "id"))
    if organisation is None:
        raise NotFound("Organization was not found.")
    count = organisation.datasets.filter(state=State.ACTIVE, private=False).count()
    found = organization_dict(organisation, package_count=count)
    found["users"] = []  # members are staff: not published
    if boolean(call.params.get("include_datasets")):
        found["packages"] = _packages(call, f'organization:"{organisation.slug}"')
    return found


@action()
def group_list(call: Call) -> list[Any]:
    """The themes (CKAN's groups): their names, or with all_fields their details."""
    themes = Theme.objects.annotate(
        package_count=Count("datasets", filter=_public_counts()), name_key=F("name")
    ).order_by(*_order(call.params, "title"))
    page = list(_page(call.params, themes))
    if not boolean(call.params.get("all_fields")):
        return [theme.name for theme in page]
    return [group_dict(theme, package_count=theme.package_count) for theme in page]


@action()
def group_show(call: Call) -> dict[str, Any]:
    """One theme, by name or id; include_datasets: its public datasets too."""
    wanted = identifier(call.params, "id")
    key = as_uuid(wanted)
    theme = Theme.objects.filter(Q(pk=key) if key else Q(name=wanted)).first()
    if theme is None:
        raise NotFound("Group was not found.")
    count = theme.datasets.filter(state=State.ACTIVE, private=False).count()
    found = group_dict(theme, package_count=count)
    if boolean(call.params.get("include_datasets")):
        found["packages"] = _packages(call, f'groups:"{theme.name}"')
    return found


@action()
def tag_list(call: Call) -> list[Any]:
    """The tags of public datasets; query: those containing these letters; all_fields."""
    tags = Tag.objects.filter(datasets__state=State.ACTIVE, datasets__private=False).distinct()
    query = text(call.params, "query") or text(call.params, "q")
    if query:
        tags = tags.filter(name__icontains=query)
    if not boolean(call.params.get("all_fields")):
        return list(tags.values_list("name", flat=True))
    return [
        {"id": str(tag.id), "name": tag.name, "display_name": tag.name, "vocabulary_id": None}
        for tag in tags
    ]


@action()
def license_list(call: Call) -> list[dict[str, Any]]:
    """The licences a dataset may have."""
    return licence_list()


@action()
def user_list(call: Call) -> list[Any]:
    """The data publishers, public fields only. Their sign-in names and email addresses are
    never given: `name` is a stable id, not what they sign in with."""
    users = (
        User.objects.filter(is_active=True, memberships__role=Role.DATA_PUBLISHER)
        .distinct()
        .order_by("pk")
    )
    found = [
        {
            "id": str(user.pk),
            "name": f"publisher-{user.pk}",
            "display_name": user.display_name or "Data publisher",
            "created": ckan_time(user.date_joined),
            "state": "active",
            "sysadmin": False,
        }
        for user in users
    ]
    if "all_fields" in call.params and not boolean(call.params["all_fields"]):
        return [user["name"] for user in found]
    return found


@action()
def status_show(call: Call) -> dict[str, Any]:
    """About this site, and which CKAN API it follows."""
    return {
        "site_title": "Porth open data",
        "site_description": "",
        "site_url": settings.PORTH_BASE_URL or call.request.build_absolute_uri("/").rstrip("/"),
        "ckan_version": CKAN_VERSION,
        "error_emails_to": None,
        "locale_default": "en",
        "extensions": ["porth", "fluent", "scheming_datasets"],
    }


@action()
def site_read(call: Call) -> bool:
    """Whether the site may be read: always."""
    return True


@action()
def help_show(call: Call) -> str:
    """The help of an action (name)."""
    name = identifier(call.params, "name")
    if name not in ACTIONS:
        raise NotFound(f"Action function not found: {name}")
    return inspect.getdoc(ACTIONS[name].function) or ""
