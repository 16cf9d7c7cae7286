"""The services app's public API for other apps."""

from functools import cache

from django.db import connection, transaction

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
    quote = connection.ops.quote_name
    table = quote(DefinitionVersion._meta.db_table)
    return (
        f"SELECT {quote('id')} FROM {table} WHERE {quote('slug')} = %s AND {quote('version')} = %s"
    )


def version_id(definition: Definition) -> int:
    """The id of the stored row for this exact definition: one query once it exists.

    Every submission asks, so the SQL is written once: building it through the ORM costs
    more than running it."""
    row = sql.one(_version_id_sql(), [definition.slug, definition.version])
    return int(row[0]) if row else record_version(definition).pk


__all__ = ["Definition", "definitions", "get", "record_version", "version_id"]
