"""The catalogue's DCAT: /catalog.{ttl,rdf,jsonld} a page at a time, and each dataset's
/dataset/<name>.{ttl,rdf,jsonld}. Anyone may read them; only public, active datasets appear
(a private or draft dataset's address is a 404, as its page is)."""

from datetime import UTC, datetime, time

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive, make_aware
from django.views.decorators.http import require_safe

from . import dcat


def _respond(body: bytes, extension: str) -> HttpResponse:
    _, content_type = dcat.FORMATS[extension]
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    # Harvesters and browsers alike: say what it is, and let it be fetched from anywhere.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _bad_page(message: str, status: int) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def _moment(value: str) -> datetime | None:
    """An ISO 8601 date or date and time (a date is its midnight; no zone is UTC)."""
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = datetime.combine(day, time.min) if day else None
    except ValueError:  # well formed but impossible, such as 2026-02-30
        return None
    if moment is not None and is_naive(moment):
        moment = make_aware(moment, UTC)
    return moment


@require_safe
def catalogue(request: HttpRequest, extension: str) -> HttpResponse:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        # ckanext-dcat's message, for a page that is not a whole number from 1 up.
        return _bad_page("Page param must be a positive integer starting in 1", 400)
    since: datetime | None = None
    if "modified_since" in request.GET:
        since = _moment(request.GET["modified_since"])
        if since is None:
            return _bad_page("Wrong modified date format. Use ISO-8601 format", 400)
    page = dcat.Page(
        number=int(raw),
        count=dcat.published(since).count(),
        per_page=dcat.PER_PAGE,
        modified_since=since,
    )
    if not page.exists:
        return _bad_page(f"There is no page {page.number}: the last is {page.last}.", 404)
    return _respond(dcat.serialise(dcat.catalogue_graph(page, request), extension), extension)


@require_safe
def dataset(request: HttpRequest, name: str, extension: str) -> HttpResponse:
    found = dcat.published().filter(name=name).first()
    if found is None:
        raise Http404("No such dataset")
    return _respond(dcat.serialise(dcat.dataset_graph(found, request), extension), extension)
