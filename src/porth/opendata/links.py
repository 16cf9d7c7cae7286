"""The catalogue's permanent addresses, CKAN's own, so that links to a CKAN site keep working
when it moves to Porth: /dataset/<name>, /dataset/<name>/resource/<id> and its download.

Paths here; `absolute` makes them whole for the API and DCAT (from the request when there is
one, else PORTH_BASE_URL, as a background task has no request)."""

from pathlib import PurePosixPath

from django.conf import settings
from django.http import HttpRequest

from .models import Dataset, Resource


def dataset_path(dataset: Dataset) -> str:
    return f"/dataset/{dataset.name}"


def resource_path(resource: Resource, dataset: Dataset | None = None) -> str:
    return f"{dataset_path(dataset or resource.dataset)}/resource/{resource.id}"


def filename(resource: Resource) -> str:
    return PurePosixPath(resource.upload.name or "").name if resource.upload else ""


def download_path(resource: Resource, dataset: Dataset | None = None) -> str:
    """Where an uploaded file is served (a link's address is its own `url`)."""
    return f"{resource_path(resource, dataset)}/download/{filename(resource)}"


def upload_path(dataset_name: str, resource_id: object, upload_name: str) -> str:
    """download_path from plain values: the dataset's name, the resource's id and its
    upload's stored name (for package dicts made without model instances)."""
    return (
        f"/dataset/{dataset_name}/resource/{resource_id}/download/{PurePosixPath(upload_name).name}"
    )


def absolute(path: str, request: HttpRequest | None = None) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.PORTH_BASE_URL.rstrip("/") + path


def access_url(
    resource: Resource, request: HttpRequest | None = None, dataset: Dataset | None = None
) -> str:
    """A resource's address as CKAN gives it (`url`): the download for an upload, else the
    link."""
    if resource.upload:
        return absolute(download_path(resource, dataset), request)
    return resource.url
