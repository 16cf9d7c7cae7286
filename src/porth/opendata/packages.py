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

from .links import absolute, access_url, dataset_path
from .models import Dataset, Resource, Theme
from .vocabularies import FREQUENCIES, LICENCES, licence


def ckan_time(moment: datetime | None) -> str | None:
    """CKAN's timestamps: ISO 8601 in UTC with no offset (2026-12-07T11:36:33.123456)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat()


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def organization_dict(organisation: Organisation, *, package_count: int | None = None) -> dict:
    """An organisation as CKAN's `organization_show` (and a package's `organization`) gives
    it. Its `name` is its slug; its `id` the number Porth knows it by (owner_org takes both)."""
    found: dict[str, Any] = {
        "id": str(organisation.pk),
        "name": organisation.slug,
        "title": organisation.name,
        "display_name": organisation.name,
        "title_translated": {"en": organisation.name, "cy": organisation.name_cy},
        "type": "organization",
        "description": "",
        "image_url": "",
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
    }
    if package_count is not None:
        found["package_count"] = package_count
    return found


def group_dict(theme: Theme, *, package_count: int | None = None) -> dict:
    """A theme as CKAN's `group_show` gives a group."""
    found: dict[str, Any] = {
        "id": str(theme.id),
        "name": theme.name,
        "title": theme.title,
        "display_name": theme.title,
        "title_translated": {"en": theme.title, "cy": theme.title_cy},
        "description": theme.description,
        "type": "group",
        "is_organization": False,
        "image_display_url": "",
        "approval_status": "approved",
        "state": "active",
        "uri": theme.uri,
    }
    if package_count is not None:
        found["package_count"] = package_count
    return found


def resource_dict(
    resource: Resource, request: HttpRequest | None = None, dataset: Dataset | None = None
) -> dict:
    dataset = dataset or resource.dataset
    return {
        "id": str(resource.id),
        "package_id": str(dataset.id),
        "name": resource.name,
        "description": resource.description,
        "name_translated": {"en": resource.name, "cy": resource.name_cy},
        "description_translated": {"en": resource.description, "cy": resource.description_cy},
        "format": resource.format,
        "url": access_url(resource, request, dataset),
        # CKAN marks a file it keeps itself "upload"; a link has no url_type.
        "url_type": "upload" if resource.upload else None,
        "mimetype": resource.mimetype or None,
        "size": resource.size,
        "hash": resource.hash,
        "position": resource.position,
        "created": ckan_time(resource.created),
        "last_modified": ckan_time(resource.last_modified),
        "metadata_modified": ckan_time(resource.last_modified),
        "state": "active",
        "datastore_active": False,
        "resource_type": None,
        "cache_url": None,
        "mimetype_inner": None,
    }


def _tags(dataset: Dataset) -> list[dict]:
    return [
        {
            "id": str(tag.id),
            "name": tag.name,
            "display_name": tag.name,
            "state": "active",
            "vocabulary_id": None,
        }
        for tag in sorted(dataset.tags.all(), key=lambda tag: tag.name)
    ]


def package_dict(dataset: Dataset, request: HttpRequest | None = None) -> dict:
    """A dataset as CKAN's `package_show` gives it. For a list, load the dataset's
    organisation, tags, themes and resources first (select/prefetch_related), as
    search.search does: this makes no queries of its own then."""
    term = licence(dataset.license_id)
    frequency = FREQUENCIES.get(dataset.frequency)
    resources = sorted(dataset.resources.all(), key=lambda r: (r.position, r.created))
    tags = _tags(dataset)
    return {
        "id": str(dataset.id),
        "name": dataset.name,
        "type": "dataset",
        "title": dataset.title,
        "notes": dataset.notes,
        "title_translated": {"en": dataset.title, "cy": dataset.title_cy},
        "notes_translated": {"en": dataset.notes, "cy": dataset.notes_cy},
        "owner_org": str(dataset.organisation_id),
        "organization": organization_dict(dataset.organisation),
        "private": dataset.private,
        "state": dataset.state,
        "license_id": dataset.license_id,
        "license_title": term.en if term else dataset.license_id,
        "license_url": term.url if term else "",
        "isopen": term is not None,  # every licence Porth offers is an open one
        "tags": tags,
        "num_tags": len(tags),
        "groups": [group_dict(theme) for theme in sorted(dataset.themes.all(), key=str)],
        "resources": [resource_dict(r, request, dataset) for r in resources],
        "num_resources": len(resources),
        "extras": [{"key": key, "value": value} for key, value in sorted(dataset.extras.items())],
        "metadata_created": ckan_time(dataset.created),
        "metadata_modified": ckan_time(dataset.modified),
        "creator_user_id": str(dataset.created_by_id) if dataset.created_by_id else None,
        "maintainer": dataset.maintainer,
        "maintainer_email": dataset.maintainer_email,
        "author": dataset.author,
        "author_email": dataset.author_email,
        "version": dataset.version,
        "url": dataset.url,
        "temporal_start": _day(dataset.temporal_start),
        "temporal_end": _day(dataset.temporal_end),
        "spatial": dataset.spatial,
        "spatial_uri": dataset.spatial_uri,
        "frequency": dataset.frequency,
        "frequency_label": frequency.en if frequency else "",
        # The service whose performance Porth publishes here (refreshed by Porth itself).
        "performance": {"service": dataset.service} if dataset.service else None,
        "relationships_as_object": [],
        "relationships_as_subject": [],
        "landing_page": absolute(dataset_path(dataset), request),
    }


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
