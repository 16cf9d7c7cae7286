"""The front door: the catalogue of services, search, and each service's start page."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from . import registry
from .search import search


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    language = get_language()
    query = request.GET.get("q", "").strip()[:200]
    services = sorted(registry.definitions().values(), key=lambda d: d.name.get(language))
    found = search(services, query, language)
    return render(
        request, "catalogue.html", {"services": found, "query": query, "total": len(services)}
    )


@require_safe
def start(request: HttpRequest, slug: str) -> HttpResponse:
    definition = registry.get(slug)
    if definition is None:
        raise Http404
    return render(request, "start.html", {"service": definition})
