"""The exchange's addresses for partners: call a service, fetch an organisation's keys."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt

from porth.accounts.models import Organisation

from . import keys, provide


@csrf_exempt  # signed by the calling organisation instead: no browser is involved
def exchange(request: HttpRequest, organisation: str, service: str) -> HttpResponse:
    if request.method != "POST":
        response = provide.problem(405, "method", "Method not allowed", "exchange calls are POSTed")
        response["Allow"] = "POST"
        return response
    return provide.handle(request, organisation, service)


@cache_control(public=True, max_age=300)
def jwks(request: HttpRequest, organisation: str) -> JsonResponse:
    """The organisation's public keys that still verify (RFC 7517)."""
    found = Organisation.objects.filter(slug=organisation).first()
    if found is None:
        raise Http404
    return JsonResponse(keys.jwks(found), content_type="application/jwk-set+json")
