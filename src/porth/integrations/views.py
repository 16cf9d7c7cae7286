"""The service owners' pages: their organisations' API tokens and webhook endpoints, and each
endpoint's delivery log.

Views read the form and pick the page; every change goes through tokens or actions (checked,
audited). Only service owners get in (staff_view), and only to their own organisations'
tokens and endpoints: anything else is a 404, as for cases.
"""

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from porth.accounts.models import Organisation, Role, User
from porth.accounts.service import organisation_ids, staff_view

from . import actions, forms, tokens
from .models import ApiToken, Event, Scope, WebhookDelivery, WebhookEndpoint

DONE = {
    "revoked": "The token is revoked: systems using it can no longer use the API",
    "enabled": "The endpoint is turned on: new events will be sent to it",
    "disabled": "The endpoint is turned off: no more events will be sent to it",
    "queued": "The delivery will be sent again",
    "busy": "That delivery is being sent right now: look again in a moment",
}
PER_PAGE = 50
OWNERS = Role.SERVICE_OWNER


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # staff_view lets only signed-in staff through
    return user


def _organisations(request: HttpRequest) -> list[Organisation]:
    ids = organisation_ids(_user(request), [OWNERS])
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def _done(url: str, done: str) -> HttpResponse:
    return HttpResponseRedirect(f"{url}?{urlencode({'done': done})}", status=303)


def _page(
    request: HttpRequest, template: str, title: str, *, status: int = 200, **context: Any
) -> HttpResponse:
    return render(
        request,
        f"staff/integrations/{template}",
        {
            "title": title,
            "done": DONE.get(request.GET.get("done", "")),
            "errors": [],
            "organisations": _organisations(request),
            **context,
        },
        status=status,
    )


# --- API tokens -----------------------------------------------------------------------------


def _tokens_page(request: HttpRequest, *, status: int = 200, **context: Any) -> HttpResponse:
    organisations = _organisations(request)
    return _page(
        request,
        "tokens.html",
        "API tokens for your systems",
        status=status,
        tokens=ApiToken.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .order_by("revoked_at", "-created_at"),
        scopes=Scope.choices,
        expiries=forms.EXPIRIES,
        site=request.build_absolute_uri("/").rstrip("/"),
        form=context.pop("form", forms.Form(values={"scopes": [], "expires": "365"})),
        **context,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(OWNERS)
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The organisations' tokens. A new one is shown on the page that answers the POST, once:
    only its hash is kept, so no later page can show it."""
    if request.method != "POST":
        return _tokens_page(request)
    form = forms.token_form(request.POST, _organisations(request))
    if form.errors:
        return _tokens_page(request, status=400, form=form, errors=form.errors, has_errors=True)
    token, secret = tokens.make(
        form.values["organisation"],  # type: ignore[arg-type]
        str(form.values["name"]),
        list(form.values["scopes"]),  # type: ignore[call-overload]
        expires_at=form.values["expires_at"],  # type: ignore[arg-type]
        actor=_user(request),
        request=request,
    )
    return _tokens_page(request, made=token, secret=secret)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(OWNERS)
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(
        pk=token_id, organisation__in=_organisations(request), revoked_at__isnull=True
    ).first()
    if token is None:
        raise Http404
    if request.method == "POST":
        tokens.revoke(token, actor=_user(request), request=request)
        return _done(reverse("integrations-tokens"), "revoked")
    return render(
        request,
        "staff/opendata/confirm.html",
        {
            "title": f"Revoke {token.name}?",
            "caption": "API tokens",
            "heading": f"Are you sure you want to revoke “{token.name}”?",
            "body": "Systems that use this token will no longer be able to read or change "
            "your organisation’s submissions and cases. This cannot be undone: make a new "
            "token if you need one.",
            "button": "Revoke token",
            "back_url": reverse("integrations-tokens"),
        },
    )


# --- Webhooks -------------------------------------------------------------------------------


def _endpoints_page(request: HttpRequest, *, status: int = 200, **context: Any) -> HttpResponse:
    return _page(
        request,
        "webhooks.html",
        "Webhooks",
        status=status,
        endpoints=WebhookEndpoint.objects.filter(organisation__in=_organisations(request))
        .select_related("organisation")
        .order_by("-created_at"),
        events=Event.choices,
        form=context.pop("form", forms.Form(values={"events": []})),
        **context,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(OWNERS)
def webhooks(request: HttpRequest) -> HttpResponse:
    """The organisations' endpoints, and a form to register one. The new endpoint's secret
    is shown on the page that answers the POST, once."""
    if request.method != "POST":
        return _endpoints_page(request)
    form = forms.endpoint_form(request.POST, _organisations(request))
    if form.errors:
        return _endpoints_page(request, status=400, form=form, errors=form.errors, has_errors=True)
    endpoint, secret = actions.register(
        form.values["organisation"],  # type: ignore[arg-type]
        str(form.values["url"]),
        list(form.values["events"]),  # type: ignore[call-overload]
        description=str(form.values["description"]),
        actor=_user(request),
        request=request,
    )
    return _endpoints_page(request, made=endpoint, secret=secret)


def _endpoint(request: HttpRequest, endpoint_id: int) -> WebhookEndpoint:
    found = (
        WebhookEndpoint.objects.filter(pk=endpoint_id, organisation__in=_organisations(request))
        .select_related("organisation")
        .first()
    )
    if found is None:
        raise Http404
    return found


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(OWNERS)
def webhook(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    """One endpoint: turn it on or off, and its delivery log, newest first."""
    endpoint = _endpoint(request, endpoint_id)
    here = reverse("integrations-webhook", args=[endpoint.pk])
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in {"enable", "disable"}:
            raise Http404
        actions.set_enabled(endpoint, action == "enable", actor=_user(request), request=request)
        return _done(here, f"{action}d")
    deliveries = Paginator(
        WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-id"), PER_PAGE
    ).get_page(request.GET.get("page"))
    return _page(
        request,
        "webhook.html",
        endpoint.description or endpoint.url,
        endpoint=endpoint,
        deliveries=deliveries,
        event_names=dict(Event.choices),
        back_url=reverse("integrations-webhooks"),
    )


@never_cache
@require_POST
@staff_view(OWNERS)
def send_again(request: HttpRequest, endpoint_id: int, delivery_id: int) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    delivery = WebhookDelivery.objects.filter(pk=delivery_id, endpoint=endpoint).first()
    if delivery is None:
        raise Http404
    delivery.endpoint = endpoint
    queued = actions.send_again(delivery, actor=_user(request), request=request)
    return _done(
        reverse("integrations-webhook", args=[endpoint.pk]), "queued" if queued else "busy"
    )
