"""The staff list platform admins read: who each person is, where they work, and whether
they can sign in (locked out by django-axes now; an authenticator app set up)."""

from collections.abc import Iterable
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import actions
from .models import Membership, User

# Staff lists are small; a longer one is cut here, and the page says so.
LIMIT = 200


@dataclass(frozen=True)
class Person:
    user: User
    memberships: list[Membership]
    locked: bool
    has_app: bool


@dataclass(frozen=True)
class StaffList:
    people: list[Person]
    total: int


def locked_out(request: HttpRequest, usernames: Iterable[str]) -> set[str]:
    """The user names axes refuses now. Only a name with a failed attempt on record can be
    locked, so axes itself is asked about those alone (its rules: limit, cool-off)."""
    tried = (
        AccessAttempt.objects.filter(username__in=list(usernames))
        .values_list("username", flat=True)
        .distinct()
    )
    return {name for name in tried if name is not None and actions.is_locked(request, name)}


def staff(request: HttpRequest, limit: int = LIMIT) -> StaffList:
    """Every member of staff, by user name, up to `limit`."""
    users = (
        User.objects.annotate(
            has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("organisation").order_by(
                    "organisation__name", "role"
                ),
            )
        )
        .order_by("username")
    )
    shown = list(users[:limit])
    locked = locked_out(request, (user.username for user in shown))
    people = [
        Person(
            user=user,
            memberships=list(user.memberships.all()),
            locked=user.username in locked,
            has_app=user.has_app,
        )
        for user in shown
    ]
    total = len(shown) if len(shown) < limit else users.count()
    return StaffList(people=people, total=total)
