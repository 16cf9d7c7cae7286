"""A dataset's page, its files' pages (a CSV's preview) and their downloads, at CKAN's
addresses: /dataset/<name>, /dataset/<name>/resource/<id> and …/download/<file name>.

Who may see a dataset is as on the search pages (views.py): its public ones for anyone, its
private ones and drafts for its organisation's signed-in publishers, a 404 for everyone else.
"""

import uuid
from typing import Any

from django.db.models import Prefetch
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import csvw, links, preview, schema_org
from .access import may_see
from .datasets import find
from .models import Dataset, Resource, State, Theme
from .performance import CSV_KEY, CSVW_KEY
from .views import long_date, page_number, publishing, render_catalogue, with_query
from .vocabularies import FREQUENCIES, licence


def _find(request: HttpRequest, name: str) -> Dataset:
    """The dataset the visitor may see by this name (or, as CKAN allows, by its id), or 404."""
    found = find(
        name,
        Dataset.objects.select_related("organisation").prefetch_related(
            "tags", Prefetch("themes", Theme.objects.order_by("title")), "resources"
        ),
    )
    # Checked before redirecting from an id, so that the redirect gives no name away.
    if found is None or found.state == State.DELETED or not may_see(found, publishing(request)):
        raise Http404
    if found.name != name:  # asked for by its id
        raise Redirect(links.dataset_path(found))
    return found


class Redirect(Exception):
    """The dataset was asked for by its id: its page is at its name."""

    def __init__(self, path: str) -> None:
        self.path = path


def _not_public(response: HttpResponse, dataset: Dataset) -> HttpResponse:
    # A draft or private dataset is for its publisher's eyes: no shared cache may keep it.
    if dataset.private or dataset.state != State.ACTIVE:
        patch_cache_control(response, private=True, no_store=True)
    return response


def _resource_name(resource: Resource, language: str) -> str:
    return (
        (language == "cy" and resource.name_cy)
        or resource.name
        or links.filename(resource)
        or resource.format
    )


def size_text(size: int | None) -> str:
    if not size:
        return ""
    if size < 1024:
        return _("%(size)d bytes") % {"size": size}
    if size < 1024 * 1024:
        return _("%(size)s KB") % {"size": f"{size / 1024:.0f}"}
    return _("%(size)s MB") % {"size": f"{size / (1024 * 1024):.1f}"}


def _resources(dataset: Dataset, language: str) -> list[dict[str, Any]]:
    return [
        {
            "resource": resource,
            "name": _resource_name(resource, language),
            "description": (language == "cy" and resource.description_cy) or resource.description,
            "size": size_text(resource.size),
            "page": links.resource_path(resource, dataset),
            "download": links.download_path(resource, dataset) if resource.upload else resource.url,
            "previewable": bool(resource.upload) and resource.format.upper() == "CSV",
            "uploaded": bool(resource.upload),
        }
        for resource in dataset.resources.all()
    ]


def _about(dataset: Dataset, language: str) -> dict[str, Any]:
    cy = language == "cy"
    term = licence(dataset.license_id)
    frequency = FREQUENCIES.get(dataset.frequency)
    organisation = dataset.organisation
    return {
        "title": (cy and dataset.title_cy) or dataset.title,
        "title_lang": "en" if cy and not dataset.title_cy else "",
        "notes": (cy and dataset.notes_cy) or dataset.notes,
        "notes_lang": "en" if cy and not dataset.notes_cy and dataset.notes else "",
        "organisation": (cy and organisation.name_cy) or organisation.name,
        "licence": term.label(language) if term else dataset.license_id,
        "licence_url": term.url if term else "",
        "frequency": frequency.label(language) if frequency else "",
        "themes": [((cy and t.title_cy) or t.title, t.name) for t in dataset.themes.all()],
        "tags": sorted(tag.name for tag in dataset.tags.all()),
    }


@require_safe
def dataset(request: HttpRequest, name: str) -> HttpResponse:
    try:
        found = _find(request, name)
    except Redirect as moved:
        return redirect(moved.path)
    language = get_language()
    about = _about(found, language)
    context = {
        "title": about["title"],
        "dataset": found,
        "about": about,
        "resources": _resources(found, language),
        "json_ld": schema_org.script(schema_org.dataset(found, request)),
        "long_date": long_date,
    }
    return _not_public(render_catalogue(request, "opendata/dataset.html", context), found)


def _resource(request: HttpRequest, name: str, resource_id: uuid.UUID) -> tuple[Dataset, Resource]:
    found = _find(request, name)
    resource = next((r for r in found.resources.all() if r.id == resource_id), None)
    if resource is None:
        raise Http404
    return found, resource


@require_safe
def resource(request: HttpRequest, name: str, resource_id: uuid.UUID) -> HttpResponse:
    try:
        found, item = _resource(request, name, resource_id)
    except Redirect as moved:
        return redirect(f"{moved.path}/resource/{resource_id}")
    language = get_language()
    table: preview.Preview | None = None
    unreadable = False
    entry = next(r for r in _resources(found, language) if r["resource"].id == item.id)
    if entry["previewable"]:
        page = page_number(request)
        try:
            with item.upload.open("rb") as stream:
                table = preview.read_page(stream, page)
        except OSError:
            unreadable = True  # the file is missing from storage: say so, offer nothing
        except preview.Unreadable:
            unreadable = True
        if table is None and not unreadable:
            raise Http404
    about = _about(found, language)
    context = {
        "title": entry["name"],
        "titles": _column_titles(item, language) if table else {},
        "dataset": found,
        "about": about,
        "entry": entry,
        "table": table,
        "unreadable": unreadable,
        "pages": _table_pages(request, table) if table else None,
        "long_date": long_date,
    }
    return _not_public(render_catalogue(request, "opendata/resource.html", context), found)


def _column_titles(resource: Resource, language: str) -> dict[str, str]:
    """The performance CSV's columns in words (its data dictionary's titles), by name."""
    if resource.generated != CSV_KEY:
        return {}
    return {column.name: column.cy if language == "cy" else column.en for column in csvw.COLUMNS}


def _table_pages(request: HttpRequest, table: preview.Preview) -> dict[str, Any]:
    """Previous and next only: how many pages a file has is not known without reading it all."""
    params = request.GET
    page = table.page
    return {
        "previous": (with_query(params, page=page - 1 if page > 2 else None) + "#preview")
        if page > 1
        else "",
        "next": (with_query(params, page=page + 1) + "#preview") if table.has_next else "",
    }


@require_safe
def download(
    request: HttpRequest, name: str, resource_id: uuid.UUID, filename: str = ""
) -> HttpResponseBase:
    """An uploaded file, as an attachment under its own name; a link's address, redirected to.
    CKAN's address without the file name leads to the one with it."""
    try:
        found, item = _resource(request, name, resource_id)
    except Redirect as moved:
        return redirect(f"{moved.path}/resource/{resource_id}/download")
    if not item.upload:
        if not item.url:
            raise Http404
        return HttpResponseRedirect(item.url)
    if filename != links.filename(item):
        return redirect(links.download_path(item, found))
    try:
        stream = item.upload.open("rb")
    except OSError as error:
        raise Http404 from error
    content_type = item.mimetype or "application/octet-stream"
    if content_type.startswith("text/") and "charset" not in content_type:
        content_type += "; charset=utf-8"
    response = FileResponse(
        stream, as_attachment=True, filename=filename, content_type=content_type
    )
    if item.generated == CSV_KEY:
        dictionary = next(
            (r for r in found.resources.all() if r.generated == CSVW_KEY and r.upload), None
        )
        if dictionary is not None:
            # CSV on the Web: a processor finds the table's metadata from this header.
            address = links.absolute(links.download_path(dictionary, found), request)
            response["Link"] = f'<{address}>; rel="describedby"; type="application/csvm+json"'
    if found.private or found.state != State.ACTIVE:
        patch_cache_control(response, private=True, no_store=True)
    return response
