"""Organisations and the staff who work in them, for the apps that need them."""

from collections.abc import Iterable
from functools import cache

from django.db.models import QuerySet

from porth import fastpath
from porth.fastpath import sql

from .models import Organisation, User


def ensure_organisation(slug: str, name: str, name_cy: str = "") -> Organisation:
    """The organisation with this slug, made with these names the first time it is needed."""
    organisation, _ = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, "name_cy": name_cy}
    )
    return organisation


@cache
def _id_sql() -> str:
    return f"SELECT {sql.quote('id')} FROM {sql.table(Organisation)} WHERE {sql.quote('slug')} = %s"


def organisation_id(slug: str, name: str, name_cy: str = "") -> int:
    """The id of the organisation with this slug (made with these names the first time):
    one query once it exists. Every submission asks (its audit entry is the organisation's):
    with the fast path, the SQL is written once (porth.fastpath.sql)."""
    if fastpath.on("sql"):
        row = sql.one(_id_sql(), [slug])
        found = int(row[0]) if row else None
    else:
        found = Organisation.objects.filter(slug=slug).values_list("id", flat=True).first()
    return found if found is not None else ensure_organisation(slug, name, name_cy).pk


def members(organisation: Organisation | int, roles: Iterable[str]) -> QuerySet[User]:
    """Active staff holding any of these roles in the organisation, by name."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role__in=list(roles),
        )
        .distinct()
        .order_by("display_name", "username")
    )
