"""Organisations and the staff who work in them, for the apps that need them."""

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import Organisation, User


def ensure_organisation(slug: str, name: str, name_cy: str = "") -> Organisation:
    """The organisation with this slug, made with these names the first time it is needed."""
    organisation, _ = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, "name_cy": name_cy}
    )
    return organisation


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
