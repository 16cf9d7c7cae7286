"""The journeys a browser's session holds, as a whole: "Sign out and clear my answers", and
the journeys open in the browser becoming a citizen's when they sign in (porth.signin)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from porth.services import service as services
from porth.utils.http import no_store
from porth.utils.urls import cached_reverse

from . import actions, assisted
from .views import REVISION_COOKIE, SESSION_KEY


@no_store
@require_POST
def sign_out(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Sign out and clear my answers": on a shared computer, the session cookie is the only
    key to a citizen's unsent answers, so they are deleted and the session ended (staff in
    assisted mode stop it on their own page, which records why)."""
    if services.get(slug) is None:
        raise Http404
    try:
        if assisted.mode(request, slug) is not None:
            return HttpResponseRedirect(reverse("assisted-stop", args=[slug]), status=303)
    except assisted.Stopped:
        pass
    journey_ids = list(request.session.get(SESSION_KEY, {}).values())
    if journey_ids:
        actions.discard_journeys(journey_ids, reason="signed out")
    request.session.flush()
    response = HttpResponseRedirect(cached_reverse("signed-out", slug), status=303)
    response.delete_cookie(REVISION_COOKIE, path=cached_reverse("start", slug))
    return response


@no_store
@require_safe
def signed_out(request: HttpRequest, slug: str) -> HttpResponse:
    definition = services.get(slug)
    if definition is None:
        raise Http404
    return render(request, "signed_out.html", {"service": definition})


def attach_on_sign_in(sender: Any, *, request: HttpRequest, account: Any, **kwargs: Any) -> None:
    """porth.signin's citizen_signed_in: the journeys this browser has open become the
    citizen's (assisted journeys are kept apart in the session, so are not among them)."""
    journey_ids = list(request.session.get(SESSION_KEY, {}).values())
    if journey_ids:
        actions.attach_journeys(journey_ids, account)
