"""Who may see and do what: enforced on the server for every staff view, never by hiding links.

A view declares the roles it needs; the user must be signed in with both factors and hold
one of those roles in the organisation that owns the object, or the answer is 404 (not 403:
another organisation's cases are not even confirmed to exist).
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode

from .models import Membership, Organisation, Role, User

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponse)

# Roles that can read and act on cases; auditors read the audit log, not cases.
CASE_ROLES = frozenset({Role.CASEWORKER, Role.TEAM_LEADER, Role.SERVICE_OWNER})


def is_platform_admin(user: User) -> bool:
    return Membership.objects.filter(user=user, role=Role.PLATFORM_ADMIN).exists()


def organisation_ids(user: User, roles: Iterable[str]) -> set[int]:
    """The organisations in which the user holds any of these roles."""
    return set(
        Membership.objects.filter(user=user, role__in=list(roles)).values_list(
            "organisation_id", flat=True
        )
    )


def has_role(user: User, organisation: Organisation | int, roles: Iterable[str]) -> bool:
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return Membership.objects.filter(
        user=user, organisation_id=organisation_id, role__in=list(roles)
    ).exists()


def signed_in_staff(request: HttpRequest) -> bool:
    """Signed in with a password and a verified second factor (django-otp)."""
    user = request.user
    return bool(user.is_authenticated and getattr(user, "is_verified", lambda: False)())


def staff_view(*roles: str) -> Callable[[Callable[..., R]], Callable[..., HttpResponse]]:
    """Require both factors and at least one of `roles` somewhere; the view then scopes its
    queries to `organisation_ids(request.user, roles)` (or checks the object's owner)."""

    def decorator(view: Callable[..., R]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not signed_in_staff(request):
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{settings.LOGIN_URL}?{query}")
            if not Membership.objects.filter(user_id=request.user.pk or 0, role__in=roles).exists():
                raise Http404
            return view(request, *args, **kwargs)

        # Read by the table-driven access test, which tries every staff URL with every role.
        setattr(wrapped, "staff_roles", roles)  # noqa: B010
        return wrapped

    return decorator
