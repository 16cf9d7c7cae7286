"""The services app's public API for other apps."""

from functools import cache

from django.db import transaction

from porth import fastpath
from porth.fastpath import sql

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


@cache
def _version_id_sql() -> str:
    quote = sql.quote
    return (
        f"SELECT {quote('id')} FROM {sql.table(DefinitionVersion)} "
        f"WHERE {quote('slug')} = %s AND {quote('version')} = %s"
    )


def version_id(definition: Definition) -> int:
    """The id of the stored row for this exact definition: one query once it exists.

    Every submission asks: with the fast path, the SQL is written once (porth.fastpath.sql)."""
    if fastpath.on("sql"):
        row = sql.one(_version_id_sql(), [definition.slug, definition.version])
        found = int(row[0]) if row else None
    else:
        found = (
            DefinitionVersion.objects.filter(slug=definition.slug, version=definition.version)
            .values_list("id", flat=True)
            .first()
        )
    return found if found is not None else record_version(definition).pk


__all__ = ["Definition", "definitions", "get", "record_version", "version_id"]
