"""Staff middleware for staff requests only ("staff_only_auth")."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

STAFF_PATH = "/staff/"  # where porth.urls puts every staff page


class StaffMiddleware:
    """Runs `settings.PORTH_STAFF_MIDDLEWARE` (Django's authentication, django-otp, staff
    session limits, django-axes) for staff requests only.

    Citizens never sign in, yet those four layers run on every request. A request goes through them when it is for a staff page or its session has
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
