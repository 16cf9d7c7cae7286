"""Assisted digital mode: a member of staff goes through a citizen journey for someone.

The staff member uses the same journey pages as citizens. What makes a request "assisted" is
an entry in the session (a signed cookie, so a citizen cannot forge one; nothing posted to a
journey page is ever read for it):

    session["assisted_journeys"] = {slug: {"journey": id, "channel": "phone",
                                           "by": user pk, "organisation": organisation pk}}

It is kept apart from the citizen's own journeys (session["journeys"]): while assisted mode is
on for a service, that service's journey pages serve the assisted journey; when it ends (after
the confirmation page, or when the member of staff stops) this browser's own journey, if any,
is untouched. Every request in assisted mode checks again that the same member of staff is
signed in with both factors and still holds a role in the service's organisation; if not,
assisted mode stops (`Stopped`) rather than carrying on as a citizen journey.

Signing out empties the session, and with it the entry above. So a second, signed cookie
(MARKER_COOKIE: {slug: journey id}) mirrors the entries, kept in step by `sync_marker` on
every journey and assisted page: a journey page asked for with a marker but no entry was
being filled in by someone who has since been signed out, and stops with a message (deleting
the unfinished journey) instead of silently becoming a citizen's online journey.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from markupsafe import Markup

from porth.accounts.models import Organisation, Role, User
from porth.accounts.service import has_role, organisation_ids, signed_in_staff
from porth.services import service as services
from porth.services.service import Definition

from . import actions
from .models import Channel, Journey

SESSION_KEY = "assisted_journeys"
MARKER_COOKIE = "porth_assisted"
_MARKER_SALT = "porth.submissions.assisted"
ROLES = (Role.CASEWORKER, Role.TEAM_LEADER)
CHANNELS = {
    Channel.ASSISTED: "Assisted digital: completing it with the citizen, who cannot use it online",
    Channel.PHONE: "Phone: taking the application by phone",
    Channel.PAPER: "Paper: typing in a paper form",
}


@dataclass(frozen=True)
class Assisted:
    """This request is in assisted mode for one service."""

    journey_id: str
    channel: str
    by: User
    organisation_id: int


class Stopped(Exception):
    """The session is in assisted mode, but its member of staff can no longer go on."""


def services_for(user: User) -> list[Definition]:
    """The live services of the organisations in which the user may apply for someone."""
    slugs = set(
        Organisation.objects.filter(pk__in=organisation_ids(user, ROLES)).values_list(
            "slug", flat=True
        )
    )
    found = [d for d in services.definitions().values() if d.organisation.id in slugs]
    return sorted(found, key=lambda d: d.name.en)


def organisation_of(definition: Definition) -> Organisation | None:
    return Organisation.objects.filter(slug=definition.organisation.id).first()


def _entries(request: HttpRequest) -> dict[str, dict[str, Any]]:
    return dict(request.session.get(SESSION_KEY, {}))


def begin(request: HttpRequest, journey: Journey, organisation: Organisation) -> None:
    entries = _entries(request)
    entries[journey.service] = {
        "journey": journey.pk,
        "channel": journey.channel,
        "by": request.user.pk,
        "organisation": organisation.pk,
    }
    request.session[SESSION_KEY] = entries


def remember(request: HttpRequest, journey: Journey) -> None:
    """The assisted journey was replaced (it had gone): point the session at the new one."""
    entries = _entries(request)
    entry = entries.get(journey.service)
    if entry is not None and entry["journey"] != journey.pk:
        entries[journey.service] = {**entry, "journey": journey.pk}
        request.session[SESSION_KEY] = entries


def end(request: HttpRequest, slug: str) -> dict[str, Any] | None:
    entries = _entries(request)
    entry = entries.pop(slug, None)
    if entry is not None:
        request.session[SESSION_KEY] = entries
    return entry


def _marker(request: HttpRequest) -> dict[str, str]:
    if MARKER_COOKIE not in request.COOKIES:  # every citizen (Django raises to say so)
        return {}
    try:
        value = request.get_signed_cookie(MARKER_COOKIE, default=None, salt=_MARKER_SALT)
    except ValueError:  # bad signature: not ours
        return {}
    if not value:
        return {}
    pairs = (item.split(":", 1) for item in value.split(","))
    return {slug: journey_id for slug, journey_id in pairs}


def sync_marker(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Make the marker cookie name the same assisted journeys as the session."""
    wanted = {slug: entry["journey"] for slug, entry in _entries(request).items()}
    if wanted == _marker(request):
        return response
    if not wanted:
        response.delete_cookie(MARKER_COOKIE, samesite="Lax")
        return response
    response.set_signed_cookie(
        MARKER_COOKIE,
        ",".join(f"{slug}:{journey_id}" for slug, journey_id in sorted(wanted.items())),
        salt=_MARKER_SALT,
        max_age=settings.SESSION_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def mode(request: HttpRequest, slug: str) -> Assisted | None:
    """Assisted mode for this service, or None for a citizen; raises `Stopped`."""
    entry = request.session.get(SESSION_KEY, {}).get(slug)
    if entry is None:
        if slug in _marker(request):
            raise Stopped  # the session that held it has gone: its owner signed out
        return None
    user = request.user
    if (
        not signed_in_staff(request)
        or user.pk != entry["by"]
        or not has_role(user, entry["organisation"], ROLES)  # type: ignore[arg-type]
    ):
        raise Stopped
    return Assisted(entry["journey"], entry["channel"], user, entry["organisation"])  # type: ignore[arg-type]


def stop(request: HttpRequest, slug: str, *, reason: str) -> None:
    """End assisted mode for this service, deleting the unfinished journey."""
    entry = end(request, slug)
    journey_id = entry["journey"] if entry is not None else _marker(request).get(slug)
    if journey_id is None:
        return
    definition = services.get(slug)
    actions.stop_assisted(
        journey_id,
        service=slug,
        reason=reason,
        organisation=organisation_of(definition) if definition is not None else None,
        actor=request.user if signed_in_staff(request) else None,
        request=request,
    )


def stopped(request: HttpRequest, slug: str) -> HttpResponse:
    """A journey page was asked for in assisted mode by someone no longer signed in as its
    member of staff: stop (every assisted journey the lost session held), and say so."""
    stop(request, slug, reason="signed out")
    entries = _entries(request)
    for other in _marker(request):
        if other not in entries:
            stop(request, other, reason="signed out")
    response = HttpResponseRedirect(reverse("assisted-stopped"), status=303)
    return sync_marker(request, response)


def banner(current: Assisted, slug: str) -> Markup:
    """The notice on every journey page in assisted mode (English: it is for staff)."""
    return Markup(
        render_to_string(
            "staff/assisted/banner.html",
            {"channel": current.channel, "stop_url": reverse("assisted-stop", args=[slug])},
        )
    )


def case_url(reference: str) -> str:
    """The case page (by URL name: submissions does not import casework)."""
    return reverse("case", args=[reference])
