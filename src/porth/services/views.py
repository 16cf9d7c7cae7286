"""The front door: the catalogue of services, search, and each service's start page."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from porth.utils.shells import render_page

from . import registry
from .search import search


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    language = get_language()
    query = request.GET.get("q", "").strip()[:200]
    services = sorted(registry.definitions().values(), key=lambda d: d.name.get(language))
    found = search(services, query, language)
    context = {"services": found, "query": query, "total": len(services)}
    # Without a search the page is the same for everyone (for these definitions).
    key = None if query else ("catalogue", language, *(d.version for d in services))
    return render_page(request, "catalogue.html", context, shell_key=key, slots={})


@require_safe
def start(request: HttpRequest, slug: str) -> HttpResponse:
    definition = registry.get(slug)
    if definition is None:
        raise Http404
    key = (slug, definition.version, "start", get_language())
    return render_page(request, "start.html", {"service": definition}, shell_key=key, slots={})
