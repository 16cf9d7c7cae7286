"""Every change to the catalogue, from the API and the staff pages alike: checked (who may,
and what is valid), done in one transaction, and audited in it."""

from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest

from porth.accounts.models import User
from porth.audit.service import record

from . import uploads
from .access import may_publish, publishing_organisations
from .datasets import Invalid, clean_dataset, resource_errors_of
from .models import CatalogueVersion, Dataset, Resource, State, Tag, Theme


class NotAuthorised(Exception):
    """The caller may not do this (CKAN's "Authorization Error")."""


_DATASET_FIELDS = (
    "name",
    "title",
    "title_cy",
    "notes",
    "notes_cy",
    "organisation",
    "state",
    "private",
    "license_id",
    "temporal_start",
    "temporal_end",
    "spatial",
    "spatial_uri",
    "frequency",
    "maintainer",
    "maintainer_email",
    "author",
    "author_email",
    "version",
    "url",
    "extras",
)


def _require(user: User | None, organisation_id: int) -> None:
    if not may_publish(user, organisation_id):
        raise NotAuthorised("You are not a data publisher for this organisation")


def _set_relations(dataset: Dataset, clean: Mapping[str, Any]) -> None:
    tags = [Tag.objects.get_or_create(name=name)[0] for name in clean["tags"]]
    dataset.tags.set(tags)
    dataset.themes.set(Theme.objects.filter(name__in=clean["themes"]))


def _audit(
    action: str, dataset: Dataset, actor: User | None, request: HttpRequest | None, **data: Any
) -> None:
    record(
        f"opendata.{action}",
        actor=actor,
        request=request,
        organisation=dataset.organisation,
        obj=dataset,
        data={"name": dataset.name, **data},
    )


def _resource_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    def text(key: str) -> str:
        value = data.get(key)
        return "" if value is None else str(value).strip()

    fields: dict[str, Any] = {
        key: text(key)
        for key in ("name", "name_cy", "description", "description_cy", "url")
        if key in data
    }
    if "format" in data:
        fields["format"] = text("format").upper().lstrip(".")
    return fields


def _sync_resources(dataset: Dataset, resources: list[Any], actor: User | None) -> None:
    """package_create/update's `resources`: kept by id, changed, added or (left out) removed.
    Uploads come through `add_resource`; here a resource is a link or an existing upload."""
    existing = {str(r.id): r for r in dataset.resources.all()}
    keep: set[str] = set()
    for position, item in enumerate(resources):
        fields = _resource_fields(item)
        found = existing.get(str(item.get("id", "")))
        if found is not None:
            keep.add(str(found.id))
            if found.upload:
                fields.pop("url", None)  # an upload's url is its download address
            for key, value in fields.items():
                setattr(found, key, value)
            found.position = position
            found.save()
        else:
            Resource.objects.create(dataset=dataset, position=position, **fields)
    for key, resource in existing.items():
        if key not in keep:
            _delete_file(resource)
            resource.delete()


def _delete_file(resource: Resource) -> None:
    if resource.upload and resource.upload.name:
        name: str = resource.upload.name
        storage = resource.upload.storage
        transaction.on_commit(lambda: storage.delete(name))


def create_dataset(
    data: Mapping[str, Any], *, actor: User | None, request: HttpRequest | None = None
) -> Dataset:
    """package_create. Raises `Invalid` (field errors) or `NotAuthorised`."""
    organisations = publishing_organisations(actor)
    if actor is None or not organisations:
        raise NotAuthorised("You are not a data publisher for any organisation")
    clean = clean_dataset(data, organisations=organisations)
    with transaction.atomic():
        CatalogueVersion.lock()
        dataset = Dataset(created_by=actor, **{key: clean[key] for key in _DATASET_FIELDS})
        dataset.save()
        _set_relations(dataset, clean)
        if clean["resources"]:
            _sync_resources(dataset, clean["resources"], actor)
        _audit("dataset_created", dataset, actor, request, state=dataset.state)
    return dataset


def update_dataset(
    dataset: Dataset,
    data: Mapping[str, Any],
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Dataset:
    """package_update: the whole dataset as sent (a field left out is cleared; resources
    left out are kept). For package_patch, merge `as_input(dataset)` under the changes first."""
    _require(actor, dataset.organisation_id)
    if dataset.state == State.DELETED and data.get("state") not in (State.ACTIVE, State.DRAFT):
        raise Invalid({"state": ["This dataset has been deleted"]})
    clean = clean_dataset(data, existing=dataset, organisations=publishing_organisations(actor))
    with transaction.atomic():
        CatalogueVersion.lock()
        before = {key: str(getattr(dataset, key)) for key in _DATASET_FIELDS}
        for key in _DATASET_FIELDS:
            setattr(dataset, key, clean[key])
        dataset.save()
        _set_relations(dataset, clean)
        if clean["resources"] is not None:
            _sync_resources(dataset, clean["resources"], actor)
        changed = sorted(k for k in _DATASET_FIELDS if before[k] != str(getattr(dataset, k)))
        _audit("dataset_updated", dataset, actor, request, changed=changed)
    return dataset


def delete_dataset(
    dataset: Dataset, *, actor: User | None, request: HttpRequest | None = None
) -> None:
    """package_delete: the dataset is marked deleted (its name stays taken, as in CKAN)."""
    _require(actor, dataset.organisation_id)
    with transaction.atomic():
        CatalogueVersion.lock()
        dataset.state = State.DELETED
        dataset.save(update_fields=["state", "modified"])
        _audit("dataset_deleted", dataset, actor, request)


def add_resource(
    dataset: Dataset,
    data: Mapping[str, Any],
    upload: UploadedFile | None = None,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Resource:
    """resource_create: a link (`url`) or an uploaded file, checked (uploads.check)."""
    _require(actor, dataset.organisation_id)
    return _save_resource(
        Resource(dataset=dataset), data, upload, actor, request, "resource_added", new=True
    )


def change_resource(
    resource: Resource,
    data: Mapping[str, Any],
    upload: UploadedFile | None = None,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Resource:
    """resource_patch: the fields sent change; a new upload replaces the file."""
    _require(actor, resource.dataset.organisation_id)
    return _save_resource(resource, data, upload, actor, request, "resource_changed", new=False)


def delete_resource(
    resource: Resource, *, actor: User | None, request: HttpRequest | None = None
) -> None:
    _require(actor, resource.dataset.organisation_id)
    with transaction.atomic():
        CatalogueVersion.lock()
        dataset = resource.dataset
        _delete_file(resource)
        resource.delete()
        dataset.save(update_fields=["modified"])
        _audit("resource_deleted", dataset, actor, request, resource=str(resource.pk))


def _save_resource(
    resource: Resource,
    data: Mapping[str, Any],
    upload: UploadedFile | None,
    actor: User | None,
    request: HttpRequest | None,
    action: str,
    *,
    new: bool,
) -> Resource:
    errors = resource_errors_of(data, uploaded=upload is not None)
    fields = _resource_fields(data)
    checked = None
    if upload is not None:
        try:
            checked = uploads.check(upload, fields.get("format", ""))
        except uploads.Refused as refused:
            errors["upload"] = [str(refused)]
    elif new and not fields.get("url"):
        errors["url"] = ["Give a file to upload or a web address to link to"]
    if errors:
        raise Invalid(errors)
    storage = resource.upload.storage
    with uploads.discarded_on_failure(storage) as saved, transaction.atomic():
        CatalogueVersion.lock()
        for key, value in fields.items():
            setattr(resource, key, value)
        if checked is not None and upload is not None:
            if resource.upload:
                _delete_file(resource)
            resource.format = checked.format
            resource.mimetype = checked.mimetype
            resource.size = checked.size
            resource.hash = checked.hash
            resource.url = ""
            if not resource.name:
                resource.name = upload.name or ""
            resource.upload.save(upload.name or "data", upload, save=False)
            saved.append(resource.upload.name or "")
        if new:
            resource.position = resource.dataset.resources.count()
        resource.save()
        dataset = resource.dataset
        dataset.save(update_fields=["modified"])
        _audit(action, dataset, actor, request, resource=str(resource.pk))
    return resource
