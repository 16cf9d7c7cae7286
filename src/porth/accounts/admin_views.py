"""The platform admin's page of staff: who is locked out of signing in, and what an admin
can do about someone's sign-in. Reads are in `people`, writes in `actions`."""

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import actions, people
from .access import staff_view
from .models import Role, User

ACTS: dict[str, Callable[[HttpRequest, User, User], None]] = {
    "unlock": lambda request, user, actor: actions.unlock(
        user.username, actor=actor, request=request
    ),
    "sign_out_everywhere": lambda request, user, actor: actions.sign_out_everywhere(
        user, actor=actor, request=request
    ),
    "reset_authenticator": lambda request, user, actor: actions.reset_authenticator(
        user, actor=actor, request=request
    ),
}
DONE = {
    "unlock": "{name} is unlocked and can sign in again",
    "sign_out_everywhere": "{name} is signed out on every device",
    "reset_authenticator": "{name} is signed out and will set up a new authenticator app"
    " when they next sign in",
}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@staff_view(Role.PLATFORM_ADMIN)
def staff_people(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    if request.method == "POST":
        act = ACTS.get(request.POST.get("action", ""))
        user = User.objects.filter(username=request.POST.get("user", "")).first()
        if act is None or user is None:
            raise Http404
        act(request, user, request.user)
        query = urlencode({"done": request.POST["action"], "user": user.username})
        return HttpResponseRedirect(f"{reverse('staff-people')}?{query}", status=303)
    found = people.staff(request, limit=people.LIMIT)
    context: dict[str, Any] = {
        "title": "Staff",
        "people": found.people,
        "total": found.total,
        "done": _done(request),
    }
    return render(request, "staff/accounts/people.html", context)


def _done(request: HttpRequest) -> str:
    """The success banner after an action: names the person, so only for someone real."""
    message = DONE.get(request.GET.get("done", ""))
    user = User.objects.filter(username=request.GET.get("user", "")).first()
    return message.format(name=user) if message and user else ""
