"""Staff-only middleware: signing in, session limits and lockouts, never run for citizens."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

from . import actions, staff_session
from .models import User


class StaffSessionMiddleware:
    """Sign staff out after 30 minutes idle, 8 hours after signing in, or once their session
    generation has moved on (they signed out elsewhere, or an admin signed them out).

    Goes after OTPMiddleware; the pages behind it then see an anonymous user, and
    `staff_view` sends them to sign in again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if SESSION_KEY not in request.session:
            # Nobody is signed in (every citizen): leave the lazy user unevaluated.
            return self.get_response(request)
        user = request.user
        if user.is_authenticated and isinstance(user, User):
            reason = staff_session.problem(request, user)
            if reason:
                actions.end_session(request, actor=user, reason=reason)
            else:
                staff_session.touch(request)
        return self.get_response(request)


STAFF_PATH = "/staff/"  # where porth.urls puts every staff page


class StaffMiddleware:
    """Runs `settings.PORTH_STAFF_MIDDLEWARE` (Django's authentication, django-otp, staff
    session limits, django-axes) for staff requests only.

    Citizens never sign in, yet those four layers cost 0.03 to 0.09 ms of a 0.8 to 0.9 ms
    question page (both stacks side by side in one process, as bench/inprocess.py runs
    them). A request goes through them when it is for a staff page or its session has
    someone signed in (a caseworker in assisted mode uses the citizen pages, and must be
    checked on each of them); any other request is a citizen's and gets the anonymous user
    that AuthenticationMiddleware would have given it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        chain: Any = get_response
        for path in reversed(settings.PORTH_STAFF_MIDDLEWARE):
            # Wrapped as Django wraps each middleware, so each sees responses, not exceptions.
            chain = convert_exception_to_response(import_string(path)(chain))
        self.staff: Callable[[HttpRequest], HttpResponse] = chain

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(STAFF_PATH) or SESSION_KEY in request.session:
            return self.staff(request)
        request.user = AnonymousUser()
        return self.get_response(request)
