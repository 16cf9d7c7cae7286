"""Staff users and signed-in clients for the audit tests."""

import itertools
from typing import Any

from django.db import connection
from django.test import Client

from porth.accounts.models import Membership, Organisation, User
from porth.accounts.tests.factories import signed_in_client

_numbers = itertools.count(1)


def organisation(slug: str | None = None) -> Organisation:
    slug = slug or f"org-{next(_numbers)}"
    return Organisation.objects.create(slug=slug, name=slug.title())


def staff(*memberships: tuple[Organisation, str], username: str | None = None) -> User:
    user = User.objects.create_user(
        username=username or f"staff{next(_numbers)}", password="correct horse battery staple"
    )
    for org, role in memberships:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


def signed_in(user: User) -> Client:
    """A client signed in with both factors, as the sign-in pages leave it."""
    return signed_in_client(user)


def behind_the_back(sql: str, params: list[Any] | None = None) -> None:
    """Change the audit tables behind the model's and the triggers' backs, as an attacker
    who owns the tables could (they can drop or disable the triggers)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for trigger in ("no_update", "no_delete", "head_forward", "head_start"):
                cursor.execute(f"DROP TRIGGER IF EXISTS audit_{trigger}")
        else:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params or [])
