"""Datasets, resources, organisations and themes as CKAN's Action API gives them (the dicts of
`package_show`, `resource_show`, `organization_show`, `group_show`), so that CKAN's clients
read Porth unchanged; and `as_input`, a dataset as package_update takes it, for package_patch.

The shape is CKAN 2.10's with ckanext-fluent's `*_translated: {en, cy}` for the Welsh, and
ckanext-scheming's habit of giving a schema's own fields (temporal coverage, spatial,
frequency) at the top level. Times are UTC without an offset, as CKAN writes them.
"""

from datetime import UTC, date, datetime
from typing import Any

from django.http import HttpRequest

from porth.accounts.models import Organisation

from .links import absolute, upload_path
from .models import Dataset, Resource, Theme
from .vocabularies import FREQUENCIES, LICENCES, licence


def ckan_time(moment: datetime | None) -> str | None:
    """CKAN's timestamps: ISO 8601 in UTC with no offset (2026-12-07T11:36:33.123456)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat()


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _organization(pk: Any, slug: str, name: str, name_cy: str) -> dict[str, Any]:
    return {
        "id": str(pk),
        "name": slug,
        "title": name,
        "display_name": name,
        "title_translated": {"en": name, "cy": name_cy},
        "type": "organization",
        "description": "",
        "image_url": "",
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
    }


def organization_dict(organisation: Organisation, *, package_count: int | None = None) -> dict:
    """An organisation as CKAN's `organization_show` (and a package's `organization`) gives
    it. Its `name` is its slug; its `id` the number Porth knows it by (owner_org takes both)."""
    found = _organization(
        organisation.pk, organisation.slug, organisation.name, organisation.name_cy
    )
    if package_count is not None:
        found["package_count"] = package_count
    return found


# A theme's fields that group_dict gives, in the order _group takes them.
_THEME_FIELDS = ("id", "name", "title", "title_cy", "description", "uri")


def _group(id: Any, name: str, title: str, title_cy: str, description: str, uri: str) -> dict:
    return {
        "id": str(id),
        "name": name,
        "title": title,
        "display_name": title,
        "title_translated": {"en": title, "cy": title_cy},
        "description": description,
        "type": "group",
        "is_organization": False,
        "image_display_url": "",
        "approval_status": "approved",
        "state": "active",
        "uri": uri,
    }


def group_dict(theme: Theme, *, package_count: int | None = None) -> dict:
    """A theme as CKAN's `group_show` gives a group."""
    found = _group(*(getattr(theme, name) for name in _THEME_FIELDS))
    if package_count is not None:
        found["package_count"] = package_count
    return found


# The fields of a resource (as .values() gives them; `upload` is the file's name) that
# resource_dict reads.
_RESOURCE_FIELDS = (
    "id",
    "name",
    "name_cy",
    "description",
    "description_cy",
    "format",
    "url",
    "upload",
    "mimetype",
    "size",
    "hash",
    "position",
    "created",
    "last_modified",
)


def _resource(row: dict[str, Any], dataset_id: Any, dataset_name: str, request: Any) -> dict:
    upload = row["upload"]
    return {
        "id": str(row["id"]),
        "package_id": str(dataset_id),
        "name": row["name"],
        "description": row["description"],
        "name_translated": {"en": row["name"], "cy": row["name_cy"]},
        "description_translated": {"en": row["description"], "cy": row["description_cy"]},
        "format": row["format"],
        "url": (
            absolute(upload_path(dataset_name, row["id"], upload), request)
            if upload
            else row["url"]
        ),
        # CKAN marks a file it keeps itself "upload"; a link has no url_type.
        "url_type": "upload" if upload else None,
        "mimetype": row["mimetype"] or None,
        "size": row["size"],
        "hash": row["hash"],
        "position": row["position"],
        "created": ckan_time(row["created"]),
        "last_modified": ckan_time(row["last_modified"]),
        "metadata_modified": ckan_time(row["last_modified"]),
        "state": "active",
        "datastore_active": False,
        "resource_type": None,
        "cache_url": None,
        "mimetype_inner": None,
    }


def _resource_row(resource: Resource) -> dict[str, Any]:
    row = {name: getattr(resource, name) for name in _RESOURCE_FIELDS}
    row["upload"] = resource.upload.name if resource.upload else ""
    return row


def resource_dict(
    resource: Resource, request: HttpRequest | None = None, dataset: Dataset | None = None
) -> dict:
    dataset = dataset or resource.dataset
    return _resource(_resource_row(resource), dataset.id, dataset.name, request)


# The fields of a dataset (as .values() gives them) that package_dict reads.
_DATASET_FIELDS = (
    "id",
    "name",
    "title",
    "title_cy",
    "notes",
    "notes_cy",
    "organisation_id",
    "private",
    "state",
    "license_id",
    "extras",
    "created",
    "modified",
    "created_by_id",
    "maintainer",
    "maintainer_email",
    "author",
    "author_email",
    "version",
    "url",
    "temporal_start",
    "temporal_end",
    "spatial",
    "spatial_uri",
    "frequency",
    "service",
)
_ORGANISATION_FIELDS = ("organisation__slug", "organisation__name", "organisation__name_cy")


def _tag(id: Any, name: str) -> dict[str, Any]:
    return {
        "id": str(id),
        "name": name,
        "display_name": name,
        "state": "active",
        "vocabulary_id": None,
    }


def _package(
    row: dict[str, Any],
    tags: list[tuple[Any, str]],
    themes: list[tuple[Any, ...]],
    resources: list[dict[str, Any]],
    request: HttpRequest | None,
) -> dict:
    """A dataset as package_show gives it, from plain values: the dataset's fields and its
    organisation's (`row`), its tags (id, name), themes (_THEME_FIELDS) and resources."""
    term = licence(row["license_id"])
    frequency = FREQUENCIES.get(row["frequency"])
    resources = sorted(resources, key=lambda r: (r["position"], r["created"]))
    tag_dicts = [_tag(*tag) for tag in sorted(tags, key=lambda tag: tag[1])]
    name = row["name"]
    return {
        "id": str(row["id"]),
        "name": name,
        "type": "dataset",
        "title": row["title"],
        "notes": row["notes"],
        "title_translated": {"en": row["title"], "cy": row["title_cy"]},
        "notes_translated": {"en": row["notes"], "cy": row["notes_cy"]},
        "owner_org": str(row["organisation_id"]),
        "organization": _organization(
            row["organisation_id"],
            row["organisation__slug"],
            row["organisation__name"],
            row["organisation__name_cy"],
        ),
        "private": row["private"],
        "state": row["state"],
        "license_id": row["license_id"],
        "license_title": term.en if term else row["license_id"],
        "license_url": term.url if term else "",
        "isopen": term is not None,  # every licence Porth offers is an open one
        "tags": tag_dicts,
        "num_tags": len(tag_dicts),
        # By title, as a Theme's str().
        "groups": [_group(*theme) for theme in sorted(themes, key=lambda theme: theme[2])],
        "resources": [_resource(r, row["id"], name, request) for r in resources],
        "num_resources": len(resources),
        "extras": [{"key": key, "value": value} for key, value in sorted(row["extras"].items())],
        "metadata_created": ckan_time(row["created"]),
        "metadata_modified": ckan_time(row["modified"]),
        "creator_user_id": str(row["created_by_id"]) if row["created_by_id"] else None,
        "maintainer": row["maintainer"],
        "maintainer_email": row["maintainer_email"],
        "author": row["author"],
        "author_email": row["author_email"],
        "version": row["version"],
        "url": row["url"],
        "temporal_start": _day(row["temporal_start"]),
        "temporal_end": _day(row["temporal_end"]),
        "spatial": row["spatial"],
        "spatial_uri": row["spatial_uri"],
        "frequency": row["frequency"],
        "frequency_label": frequency.en if frequency else "",
        # The service whose performance Porth publishes here (refreshed by Porth itself).
        "performance": {"service": row["service"]} if row["service"] else None,
        "relationships_as_object": [],
        "relationships_as_subject": [],
        "landing_page": absolute(f"/dataset/{name}", request),
    }


def package_dict(dataset: Dataset, request: HttpRequest | None = None) -> dict:
    """A dataset as CKAN's `package_show` gives it. For a list, use package_dicts, which
    reads plain values in four queries rather than loading model instances."""
    row = {name: getattr(dataset, name) for name in _DATASET_FIELDS}
    organisation = dataset.organisation
    row["organisation__slug"] = organisation.slug
    row["organisation__name"] = organisation.name
    row["organisation__name_cy"] = organisation.name_cy
    return _package(
        row,
        [(tag.id, tag.name) for tag in dataset.tags.all()],
        [tuple(getattr(theme, name) for name in _THEME_FIELDS) for theme in dataset.themes.all()],
        [_resource_row(resource) for resource in dataset.resources.all()],
        request,
    )


def package_dicts(ids: list[Any], request: HttpRequest | None = None) -> list[dict]:
    """The datasets `ids` as package_show gives each, in that order: four queries of plain
    values (the datasets with their organisations, tags, themes, resources), no model
    instances (about a third of the cost of package_dict over prefetched instances)."""
    if not ids:
        return []
    rows = {
        row["id"]: row
        for row in Dataset.objects.filter(pk__in=ids).values(
            *_DATASET_FIELDS, *_ORGANISATION_FIELDS
        )
    }
    tags: dict[Any, list[tuple[Any, str]]] = {key: [] for key in rows}
    for dataset_id, tag_id, tag_name in Dataset.tags.through.objects.filter(
        dataset_id__in=ids
    ).values_list("dataset_id", "tag_id", "tag__name"):
        tags[dataset_id].append((tag_id, tag_name))
    themes: dict[Any, list[tuple[Any, ...]]] = {key: [] for key in rows}
    for dataset_id, *theme in Dataset.themes.through.objects.filter(dataset_id__in=ids).values_list(
        "dataset_id", *(f"theme__{name}" for name in _THEME_FIELDS)
    ):
        themes[dataset_id].append(tuple(theme))
    resources: dict[Any, list[dict[str, Any]]] = {key: [] for key in rows}
    for resource in Resource.objects.filter(dataset_id__in=ids).values(
        "dataset_id", *_RESOURCE_FIELDS
    ):
        resources[resource["dataset_id"]].append(resource)
    return [
        _package(rows[key], tags[key], themes[key], resources[key], request)
        for key in ids
        if key in rows
    ]


def as_input(dataset: Dataset) -> dict[str, Any]:
    """The dataset as package_update takes it, without its resources (which an update then
    keeps): package_patch lays the fields it is sent over this."""
    return {
        "name": dataset.name,
        "title": dataset.title,
        "title_cy": dataset.title_cy,
        "notes": dataset.notes,
        "notes_cy": dataset.notes_cy,
        "owner_org": dataset.organisation.slug,
        "state": dataset.state,
        "private": dataset.private,
        "license_id": dataset.license_id,
        "tags": [{"name": tag.name} for tag in dataset.tags.all()],
        "groups": [{"name": theme.name} for theme in dataset.themes.all()],
        "temporal_start": _day(dataset.temporal_start),
        "temporal_end": _day(dataset.temporal_end),
        "spatial": dataset.spatial,
        "spatial_uri": dataset.spatial_uri,
        "frequency": dataset.frequency,
        "maintainer": dataset.maintainer,
        "maintainer_email": dataset.maintainer_email,
        "author": dataset.author,
        "author_email": dataset.author_email,
        "version": dataset.version,
        "url": dataset.url,
        "extras": [{"key": key, "value": value} for key, value in dataset.extras.items()],
    }


def licence_list() -> list[dict]:
    """CKAN's `license_list`: the licences a dataset may take."""
    return [
        {
            "id": term.id,
            "title": term.en,
            "url": term.url,
            "status": "active",
            "od_conformance": "approved",
            "osd_conformance": "not reviewed",
            "is_okd_compliant": True,
            "is_osi_compliant": False,
            "is_generic": False,
        }
        for term in LICENCES.values()
    ]
