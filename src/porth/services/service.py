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


__all__ = ["Definition", "definitions", "get", "record_version"]
