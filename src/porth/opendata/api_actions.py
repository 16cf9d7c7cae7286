"""The CKAN actions Porth answers (api.py wraps them in CKAN's envelope). Each takes the call's
parameters as CKAN names them and gives back what CKAN's action of that name gives back.

Reads see what the caller may see (access.py): public active datasets for anyone, and a
publisher's own private datasets and drafts when asked. Writes go through actions.py, which
checks who may, validates and audits.
"""

import inspect
import uuid
from typing import Any

import orjson
from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.query import QuerySet

from porth.accounts.models import Organisation, Role, User

from . import actions
from .access import may_see, visible
from .api import ACTIONS, Call, NotFound, action
from .datasets import MISSING, Invalid, find, organisation_of
from .models import Dataset, Resource, State, Tag, Theme
from .packages import (
    as_input,
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


# Reading parameters ---------------------------------------------------------------------


def _text(params: dict[str, Any], key: str) -> str:
    value = params.get(key)
    if isinstance(value, list):
        value = " ".join(str(item) for item in value)
    return "" if value is None else str(value).strip()


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "on"}
    return bool(value)


def _number(params: dict[str, Any], key: str, default: int, *, natural: bool = True) -> int:
    value = params.get(key)
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        raise Invalid({key: ["Invalid integer"]}) from None
    if natural and number < 0:
        raise Invalid({key: ["Must be a natural number"]})
    return number


def _list(params: dict[str, Any], key: str) -> list[str]:
    """`facet.field` and the like: a JSON list (as CKAN documents it), a real list (from a
    JSON body, or a key repeated in a query string) or one plain name."""
    value = params.get(key)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = orjson.loads(text)
            except orjson.JSONDecodeError:
                raise Invalid({key: ['Must be a JSON list, such as ["tags"]']}) from None
        else:
            value = [text]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Invalid({key: ["Must be a list of names"]})
    return value


def _identifier(params: dict[str, Any], *keys: str) -> str:
    for key in keys:
        text = _text(params, key)
        if text:
            return text
    raise Invalid({keys[0]: [MISSING]})


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _loaded(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return datasets.select_related("organisation").prefetch_related("tags", "themes", "resources")


def _dataset(call: Call, *keys: str) -> Dataset:
    """The dataset named by id or name, if the caller may see it (else CKAN's 403)."""
    wanted = _identifier(call.params, *keys)
    found = find(wanted, _loaded(Dataset.objects.all()))
    if found is None:
        raise NotFound("Dataset not found")
    if not may_see(found, call.organisations):
        raise actions.NotAuthorised(f"You may not read the dataset {wanted}")
    return found


def _resource(call: Call) -> Resource:
    found = _resource_for_write(call)
    if not may_see(found.dataset, call.organisations):
        raise actions.NotAuthorised("You may not read this resource")
    return found


# Reading --------------------------------------------------------------------------------


@action()
def package_list(call: Call) -> list[str]:
    """The names of the public datasets, by name.

    limit, offset: a page of them. A publisher's tool may add include_private and
    include_drafts (as `ckanapi dump datasets --all --include-private` does)."""
    limit = _number(call.params, "limit", 0)
    offset = _number(call.params, "offset", 0)
    names = (
        Dataset.objects.filter(
            visible(
                call.organisations,
                include_private=_bool(call.params.get("include_private")),
                include_drafts=_bool(call.params.get("include_drafts")),
            )
        )
        .order_by("name")
        .values_list("name", flat=True)
    )
    return list(names[offset : offset + limit] if limit else names[offset:])


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
    q = _text(params, "q")
    fq = " ".join([_text(params, "fq"), *_list(params, "fq_list")]).strip()
    facet_fields = _list(params, "facet.field") if _bool(params.get("facet", True)) else []
    facet_limit = _number(params, "facet.limit", 50, natural=False)
    sort = _text(params, "sort")
    result = search_ids(
        Query(
            q="" if q == "*:*" else q,
            fq=fq,
            sort=sort,
            # CKAN caps rows at its maximum rather than refusing more.
            rows=min(_number(params, "rows", 10), MAX_ROWS),
            start=_number(params, "start", 0),
            facet_fields=tuple(facet_fields),
            facet_limit=facet_limit if facet_limit >= 0 else 10_000,
            organisations=frozenset(call.organisations),
            include_private=_bool(params.get("include_private")),
            include_drafts=_bool(params.get("include_drafts")),
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
    limit = _number(params, "limit", 0)
    offset = _number(params, "offset", 0)
    return items[offset : offset + limit] if limit else items[offset:]


def _order(params: dict[str, Any], by_title: str) -> list[str]:
    sort = _text(params, "sort").lower() or "name asc"
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
    if not _bool(call.params.get("all_fields")):
        return [organisation.slug for organisation in page]
    return [organization_dict(o, package_count=o.package_count) for o in page]


def _packages(call: Call, fq: str) -> list[dict[str, Any]]:
    found = search_ids(Query(fq=fq, rows=MAX_ROWS, organisations=frozenset(call.organisations)))
    return package_dicts(found.ids, call.request)


@action()
def organization_show(call: Call) -> dict[str, Any]:
    """One organisation, by name or id; include_datasets: its public datasets too."""
    organisation = organisation_of(_identifier(call.params, "id"))
    if organisation is None:
        raise NotFound("Organization was not found.")
    count = organisation.datasets.filter(state=State.ACTIVE, private=False).count()
    found = organization_dict(organisation, package_count=count)
    found["users"] = []  # members are staff: not published
    if _bool(call.params.get("include_datasets")):
        found["packages"] = _packages(call, f'organization:"{organisation.slug}"')
    return found


@action()
def group_list(call: Call) -> list[Any]:
    """The themes (CKAN's groups): their names, or with all_fields their details."""
    themes = Theme.objects.annotate(
        package_count=Count("datasets", filter=_public_counts()), name_key=F("name")
    ).order_by(*_order(call.params, "title"))
    page = list(_page(call.params, themes))
    if not _bool(call.params.get("all_fields")):
        return [theme.name for theme in page]
    return [group_dict(theme, package_count=theme.package_count) for theme in page]


@action()
def group_show(call: Call) -> dict[str, Any]:
    """One theme, by name or id; include_datasets: its public datasets too."""
    wanted = _identifier(call.params, "id")
    key = _uuid(wanted)
    theme = Theme.objects.filter(Q(pk=key) if key else Q(name=wanted)).first()
    if theme is None:
        raise NotFound("Group was not found.")
    count = theme.datasets.filter(state=State.ACTIVE, private=False).count()
    found = group_dict(theme, package_count=count)
    if _bool(call.params.get("include_datasets")):
        found["packages"] = _packages(call, f'groups:"{theme.name}"')
    return found


@action()
def tag_list(call: Call) -> list[Any]:
    """The tags of public datasets; query: those containing these letters; all_fields."""
    tags = Tag.objects.filter(datasets__state=State.ACTIVE, datasets__private=False).distinct()
    query = _text(call.params, "query") or _text(call.params, "q")
    if query:
        tags = tags.filter(name__icontains=query)
    if not _bool(call.params.get("all_fields")):
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
    if "all_fields" in call.params and not _bool(call.params["all_fields"]):
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
    name = _identifier(call.params, "name")
    if name not in ACTIONS:
        raise NotFound(f"Action function not found: {name}")
    return inspect.getdoc(ACTIONS[name].function) or ""


# Writing (a token is needed; api.py checks there is one) -----------------------------------


def _shown(dataset: Dataset, call: Call) -> dict[str, Any]:
    return package_dict(_loaded(Dataset.objects.filter(pk=dataset.pk)).get(), call.request)


def _writable(call: Call) -> Dataset:
    wanted = _identifier(call.params, "id", "name")
    key = _uuid(wanted)
    found = Dataset.objects.filter(Q(pk=key) if key else Q(name=wanted)).first()
    if found is None:
        raise NotFound("Dataset not found")
    return found


@action(write=True)
def package_create(call: Call) -> dict[str, Any]:
    """Make a dataset: name, title, owner_org and the rest of package_show's fields."""
    data = {key: value for key, value in call.params.items() if key != "id"}
    created = actions.create_dataset(data, actor=call.user, request=call.request)
    return _shown(created, call)


@action(write=True)
def package_update(call: Call) -> dict[str, Any]:
    """Replace a dataset (by id or name) with what is sent: a field left out is cleared;
    resources left out are kept, a list of them is the new list."""
    dataset = _writable(call)
    actions.update_dataset(dataset, call.params, actor=call.user, request=call.request)
    return _shown(dataset, call)


@action(write=True)
def package_patch(call: Call) -> dict[str, Any]:
    """Change only the fields sent of a dataset (by id or name)."""
    dataset = _writable(call)
    base = as_input(dataset)
    for field in ("title", "notes"):
        if f"{field}_translated" in call.params:  # the translations sent replace both fields
            base.pop(field)
            base.pop(f"{field}_cy")
    if "tag_string" in call.params:
        base.pop("tags")
    actions.update_dataset(dataset, {**base, **call.params}, actor=call.user, request=call.request)
    return _shown(dataset, call)


@action(write=True)
def package_delete(call: Call) -> None:
    """Delete a dataset (by id or name): it is hidden, and its name stays taken."""
    actions.delete_dataset(_writable(call), actor=call.user, request=call.request)


def _upload(call: Call) -> Any:
    return call.request.FILES.get("upload") if call.request.method == "POST" else None


@action(write=True)
def resource_create(call: Call) -> dict[str, Any]:
    """Add a resource to a dataset (package_id): a file sent as multipart `upload` (CSV,
    JSON or XLSX, checked), or a link (`url`); name, description, format."""
    package_id = _identifier(call.params, "package_id")
    dataset = _writable(Call(call.request, {"id": package_id}, call.user, call.organisations))
    data = {key: value for key, value in call.params.items() if key != "upload"}
    resource = actions.add_resource(
        dataset, data, _upload(call), actor=call.user, request=call.request
    )
    return resource_dict(resource, call.request, dataset)


@action(write=True)
def resource_patch(call: Call) -> dict[str, Any]:
    """Change the fields sent of a resource (id); a new `upload` replaces its file."""
    resource = _resource_for_write(call)
    data = {key: value for key, value in call.params.items() if key not in {"upload", "id"}}
    actions.change_resource(resource, data, _upload(call), actor=call.user, request=call.request)
    return resource_dict(resource, call.request)


@action(write=True)
def resource_delete(call: Call) -> None:
    """Delete a resource (id) and its file."""
    actions.delete_resource(_resource_for_write(call), actor=call.user, request=call.request)


def _resource_for_write(call: Call) -> Resource:
    """The resource `id` names, whoever may see it (actions.* check who may change it)."""
    key = _uuid(_identifier(call.params, "id"))
    found = (
        Resource.objects.select_related("dataset__organisation").filter(pk=key).first()
        if key
        else None
    )
    if found is None:
        raise NotFound("Resource was not found.")
    return found
