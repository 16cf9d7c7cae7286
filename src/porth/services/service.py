"""The services app's public API for other apps."""

from django.db import transaction

from .definition import Definition
from .models import DefinitionVersion
from .registry import definitions, get


def record_version(definition: Definition) -> DefinitionVersion:
    """The stored row for this exact definition, made the first time it is used."""
    with transaction.atomic():
        row, _ = DefinitionVersion.objects.get_or_create(
            slug=definition.slug,
            version=definition.version,
            defaults={"canonical": definition.model_dump(mode="json")},
        )
    return row


def version_id(definition: Definition) -> int:
    """The id of the stored row for this exact definition: one query once it exists."""
    found: int | None = (
        DefinitionVersion.objects.filter(slug=definition.slug, version=definition.version)
        .values_list("pk", flat=True)
        .first()
    )
    return found if found is not None else record_version(definition).pk


__all__ = ["Definition", "definitions", "get", "record_version", "version_id"]
