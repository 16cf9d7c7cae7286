"""The front door: the catalogue of services, search, and each service's start page."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from porth.fastpath.shells import render_page

from . import registry
from .search import search


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    language = get_language()
    query = request.GET.get("q", "").strip()[:200]
    services = sorted(registry.definitions().values(), key=lambda d: d.name.get(language))
    found = search(services, query, language)
    shared = {"services": found, "query": "", "total": len(services)}
    # Without a search the page is the same for everyone (for these definitions).
    whole = {"query": query} if query else None
    return render_page(request, "catalogue.html", shared, slots={}, whole=whole)


@require_safe
def start(request: HttpRequest, slug: str) -> HttpResponse:
    definition = registry.get(slug)
    if definition is None:
        raise Http404
    return render_page(request, "start.html", {"service": definition}, slots={})
