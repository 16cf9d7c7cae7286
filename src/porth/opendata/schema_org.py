"""A dataset as a schema.org `Dataset`, in JSON-LD, for the head of its page: what search
engines (Google's Dataset Search among them) read to list it.

Properties as https://schema.org/Dataset and Google's guide to dataset markup describe them:
the licence as a URL, the organisation as creator and publisher, coverage as an ISO 8601
interval ("2025-04-01/.." when it has no end), and each file as a `DataDownload`.
"""

import json
from typing import Any

from django.http import HttpRequest
from markupsafe import Markup

from . import links
from .models import Dataset
from .vocabularies import FREQUENCIES, licence

# Inside <script>, "</script>" or "<!--" in a title would end or confuse the element: the
# characters HTML gives meaning to are written as JSON escapes, which mean the same to JSON.
_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def _temporal(dataset: Dataset) -> str:
    if not dataset.temporal_start and not dataset.temporal_end:
        return ""
    start = dataset.temporal_start.isoformat() if dataset.temporal_start else ".."
    end = dataset.temporal_end.isoformat() if dataset.temporal_end else ".."
    return f"{start}/{end}"


def dataset(dataset: Dataset, request: HttpRequest) -> dict[str, Any]:
    """The JSON-LD object of a dataset (its organisation, tags and resources loaded)."""
    page = links.absolute(links.dataset_path(dataset), request)
    organisation = dataset.organisation
    agent = {
        "@type": "Organization",
        "name": organisation.name,
        "url": links.absolute(f"/organization/{organisation.slug}", request),
    }
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": page,
        "name": dataset.title,
        # Search engines want a description: the title stands in for an empty one.
        "description": dataset.notes or dataset.title,
        "url": page,
        "identifier": str(dataset.id),
        "isAccessibleForFree": True,
        "creator": agent,
        "publisher": agent,
        "dateCreated": dataset.created.isoformat(),
        "dateModified": dataset.modified.isoformat(),
        "inLanguage": ["en", "cy"] if dataset.title_cy else ["en"],
        "keywords": [tag.name for tag in dataset.tags.all()],
    }
    term = licence(dataset.license_id)
    if term is not None and term.url:
        data["license"] = term.url
    if dataset.title_cy:
        data["alternateName"] = {"@language": "cy", "@value": dataset.title_cy}
    if temporal := _temporal(dataset):
        data["temporalCoverage"] = temporal
    if dataset.spatial:
        place: dict[str, Any] = {"@type": "Place", "name": dataset.spatial}
        if dataset.spatial_uri:
            place["sameAs"] = dataset.spatial_uri
        data["spatialCoverage"] = place
    if dataset.frequency in FREQUENCIES:
        # schema.org has no "how often" for a Dataset beyond this; the EU code's URI says it.
        data["additionalProperty"] = {
            "@type": "PropertyValue",
            "name": "update frequency",
            "value": FREQUENCIES[dataset.frequency].en,
            "valueReference": FREQUENCIES[dataset.frequency].uri,
        }
    if dataset.version:
        data["version"] = dataset.version
    if dataset.maintainer_email:
        data["creator"] = {**agent, "email": dataset.maintainer_email}
    distribution = []
    for resource in dataset.resources.all():
        address = links.access_url(resource, request, dataset)
        if not address:
            continue
        download: dict[str, Any] = {
            "@type": "DataDownload",
            "name": resource.name or resource.format,
            "contentUrl": address,
        }
        if resource.mimetype or resource.format:
            download["encodingFormat"] = resource.mimetype or resource.format
        if resource.size:
            download["contentSize"] = f"{resource.size} B"
        distribution.append(download)
    if distribution:
        data["distribution"] = distribution
    return data


def script(data: dict[str, Any]) -> Markup:
    """The object as a <script type="application/ld+json"> element, safe in any HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return Markup(f'<script type="application/ld+json">{text}</script>')
