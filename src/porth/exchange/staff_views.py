"""Service owners' pages: their organisations' exchange services, who may call each one
for which purpose, and granting and revoking that.

Only service owners get in (staff_view), and only to their own organisations' services:
anything else is a 404, as for cases. Every grant and revoke goes through actions (audited).
"""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from porth.accounts.models import Role, User
from porth.accounts.service import organisation_ids, staff_view

from . import actions
from .handlers import fields_of
from .models import ExchangeService, Grant, MessageLog

DONE = {"granted": "Access granted", "revoked": "Access revoked"}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # staff_view lets only signed-in staff through
    return user


def _own(request: HttpRequest) -> QuerySet[ExchangeService]:
    owned = organisation_ids(_user(request), [Role.SERVICE_OWNER])
    return ExchangeService.objects.filter(organisation_id__in=owned).select_related("organisation")


@never_cache
@require_safe
@staff_view(Role.SERVICE_OWNER)
def services(request: HttpRequest) -> HttpResponse:
    found = _own(request).annotate(
        grant_count=Count("grants", filter=Q(grants__revoked_at__isnull=True))
    )
    return render(
        request,
        "staff/exchange/services.html",
        {
            "title": "Exchange services",
            "services": found.order_by("organisation__name", "name"),
        },
    )


def _service_page(
    request: HttpRequest, found: ExchangeService, *, status: int = 200, **context: Any
) -> HttpResponse:
    calls = MessageLog.objects.filter(
        organisation=found.organisation, service=found.slug, direction="in"
    ).order_by("-id")[:20]
    return render(
        request,
        "staff/exchange/service.html",
        {
            "title": found.name,
            "service": found,
            "fields": fields_of(found),
            "grants": found.grants.filter(revoked_at__isnull=True).order_by("caller", "purpose"),
            "calls": calls,
            "done": DONE.get(request.GET.get("done", "")),
            "errors": [],
            "values": {"caller": "", "purpose": ""},
            "back_url": reverse("exchange-staff-services"),
            **context,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(Role.SERVICE_OWNER)
def service(request: HttpRequest, organisation: str, service: str) -> HttpResponse:
    found = _own(request).filter(organisation__slug=organisation, slug=service).first()
    if found is None:
        raise Http404
    if request.method != "POST":
        return _service_page(request, found)
    values = {name: request.POST.get(name, "").strip() for name in ("caller", "purpose")}
    try:
        actions.grant(
            found,
            caller=values["caller"],
            purpose=values["purpose"],
            actor=_user(request),
            request=request,
        )
    except actions.Invalid as error:
        return _service_page(
            request,
            found,
            status=400,
            values=values,
            has_errors=True,
            errors=[{"text": str(error), "href": f"#{error.field}"}],
            field_errors={error.field: str(error)},
        )
    url = reverse("exchange-staff-service", args=[organisation, service])
    return HttpResponseRedirect(f"{url}?{urlencode({'done': 'granted'})}", status=303)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(Role.SERVICE_OWNER)
def revoke(request: HttpRequest, grant_id: int) -> HttpResponse:
    owned = organisation_ids(_user(request), [Role.SERVICE_OWNER])
    grant = (
        Grant.objects.select_related("service__organisation")
        .filter(pk=grant_id, service__organisation_id__in=owned, revoked_at__isnull=True)
        .first()
    )
    if grant is None:
        raise Http404
    service_url = reverse(
        "exchange-staff-service", args=[grant.service.organisation.slug, grant.service.slug]
    )
    if request.method == "POST":
        actions.revoke(grant, actor=_user(request), request=request)
        return HttpResponseRedirect(f"{service_url}?{urlencode({'done': 'revoked'})}", status=303)
    return render(
        request,
        "staff/opendata/confirm.html",
        {
            "title": f"Revoke access for {grant.caller}?",
            "caption": grant.service.name,
            "heading": f"Are you sure you want to stop {grant.caller} calling this service "
            f"for {grant.purpose}?",
            "body": "Their calls for this purpose will be refused from now on. You can grant "
            "access again later.",
            "button": "Revoke access",
            "back_url": service_url,
        },
    )
