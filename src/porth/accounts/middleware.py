"""Staff session limits (see porth.fastpath.staff for running staff middleware for staff only)."""

from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

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
