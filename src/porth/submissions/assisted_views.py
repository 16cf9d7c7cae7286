"""Staff pages for assisted digital: start applying for someone, stop, and "stopped".

English only, like every staff page. The journey itself happens on the citizen journey
pages (`views.py`), which `assisted.mode` puts into assisted mode.
"""

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from porth.accounts.models import Role
from porth.accounts.service import has_role, staff_view
from porth.services import service as services
from porth.services.service import CHECK_ANSWERS, Definition, engine

from . import actions, assisted, store
from .models import Channel

# The two menu entries share one page; "record" is for forms that reach the team on paper
# or by phone, "apply for someone" for completing it with the citizen.
FORMS = {
    "assisted-start": ("Apply for someone", [Channel.ASSISTED, Channel.PHONE, Channel.PAPER]),
    "record-application": ("Record an application", [Channel.PAPER, Channel.PHONE]),
}


def _synced(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep the marker cookie in step with the session's assisted journeys."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return assisted.sync_marker(request, view(request, *args, **kwargs))

    return wrapped


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(Role.CASEWORKER, Role.TEAM_LEADER)
@_synced
def start(request: HttpRequest, form: str = "assisted-start") -> HttpResponse:
    title, channels = FORMS[form]
    offered = assisted.services_for(request.user)  # type: ignore[arg-type]
    chosen_service = request.POST.get("service", "")
    chosen_channel = request.POST.get("channel", "") or request.GET.get("channel", "")
    if chosen_channel not in channels:
        chosen_channel = channels[0]
    errors = []
    if request.method == "POST":
        definition = services.get(chosen_service) if chosen_service else None
        organisation = assisted.organisation_of(definition) if definition else None
        if definition is not None and (
            organisation is None or not has_role(request.user, organisation, assisted.ROLES)  # type: ignore[arg-type]
        ):
            raise Http404  # another organisation's service: not even confirmed to exist
        if definition is None:
            errors.append({"text": "Choose a service", "href": "#service"})
        if request.POST.get("channel") not in channels:
            errors.append({"text": "Choose how the application reached you", "href": "#channel"})
        if not errors and definition is not None and organisation is not None:
            # Starting again replaces an unfinished assisted journey through the same service.
            assisted.stop(request, definition.slug, reason="started again")
            journey = actions.start_assisted(
                definition,
                channel=chosen_channel,
                language=get_language(),
                organisation=organisation,
                actor=request.user,
                request=request,
            )
            assisted.begin(request, journey, organisation)
            current = assisted.Assisted(journey.pk, journey.channel, request.user, organisation.pk)  # type: ignore[arg-type]
            return HttpResponseRedirect(_where_they_were(definition, current), status=303)
    return render(
        request,
        "staff/assisted/start.html",
        {
            "title": title,
            "form_name": form,
            "services": offered,
            "channels": [(value, assisted.CHANNELS[value]) for value in channels],
            "chosen_service": chosen_service,
            "chosen_channel": chosen_channel,
            "errors": errors,
            "has_errors": bool(errors),
        },
        status=400 if errors else 200,
    )


def _where_they_were(definition: Definition, current: assisted.Assisted) -> str:
    journey = store.open_journey(current.journey_id)
    state = actions.read_state(journey) if journey is not None else engine.State()
    following = engine.next_page(definition, state, date.today())
    if following == CHECK_ANSWERS:
        return reverse("check-answers", args=[definition.slug])
    return reverse("page", args=[definition.slug, following])


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(Role.CASEWORKER, Role.TEAM_LEADER)
@_synced
def stop(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask first (a link must not change anything), then stop on POST."""
    try:
        current = assisted.mode(request, slug)
    except assisted.Stopped:
        return assisted.stopped(request, slug)
    definition = services.get(slug)
    if current is None or definition is None:
        return HttpResponseRedirect(reverse("assisted-start"), status=303)
    if request.method == "POST":
        assisted.stop(request, slug, reason="stopped by staff")
        return HttpResponseRedirect(reverse("assisted-start"), status=303)
    return render(
        request,
        "staff/assisted/stop.html",
        {
            "title": "Stop applying on behalf of a citizen?",
            "service": definition,
            "channel": current.channel,
            "continue_url": _where_they_were(definition, current),
        },
    )


@never_cache
@require_safe
def stopped(request: HttpRequest) -> HttpResponse:
    """Shown when assisted mode stopped because the member of staff was signed out."""
    return render(
        request,
        "staff/assisted/stopped.html",
        {
            "title": "You were signed out, so applying on behalf of a citizen has stopped",
            "sign_in_url": reverse("assisted-start"),
        },
    )
