"""The front door: the catalogue of services, search, and each service's start page."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from porth.fastpath.shells import render_page
from porth.signin import service as signin

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
    if definition.sign_in == "off" or not signin.available():
        return render_page(request, "start.html", {"service": definition}, slots={})
    # Signing in is offered: the page depends on whether this browser is signed in, so it
    # is rendered whole (start pages are not where the traffic is).
    first_page = reverse("page", args=[slug, definition.pages[0].id])
    required = definition.sign_in == "required"
    sign_in = {
        "signed_in": signin.current_citizen(request) is not None,
        "required": required,
        "provider": signin.provider_name(),
        "url": signin.sign_in_url(first_page, required=required),
    }
    return render_page(
        request, "start.html", {"service": definition}, slots={}, whole={"sign_in": sign_in}
    )
