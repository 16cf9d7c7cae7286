"""The two queries every journey page makes, written out once instead of built per request.

Building a query through the ORM costs more than running it on SQLite (~0.15 ms against
~0.03 ms, measured); a citizen's page makes one of each, so the SQL is composed once from the
model's own metadata and reused. Everything else goes through the ORM as usual.
"""

from functools import cache

from django.db import connection
from django.utils import timezone

from .models import Journey


@cache
def _sql() -> tuple[str, str, list[str]]:
    quote = connection.ops.quote_name
    meta = Journey._meta
    columns = [str(field.column) for field in meta.concrete_fields]
    table = quote(meta.db_table)
    select = (
        f"SELECT {', '.join(map(quote, columns))} FROM {table} "
        f"WHERE {quote('id')} = %s AND {quote('submitted_at')} IS NULL"
    )
    update = (
        f"UPDATE {table} SET {quote('state')} = %s, {quote('key_id')} = %s, "
        f"{quote('version')} = %s, {quote('updated_at')} = %s WHERE {quote('id')} = %s"
    )
    return select, update, [field.attname for field in meta.concrete_fields]


def open_journey(journey_id: str) -> Journey | None:
    """The journey with this id, if it has not been submitted."""
    select, _, attnames = _sql()
    with connection.cursor() as cursor:
        cursor.execute(select, [journey_id])
        row = cursor.fetchone()
    return Journey.from_db(connection.alias, attnames, row) if row else None


def save(journey: Journey) -> None:
    """Insert a new journey, or update the state of one already stored."""
    if journey._state.adding:
        journey.save(force_insert=True)
        return
    _, update, _ = _sql()
    journey.updated_at = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            update,
            [bytes(journey.state), journey.key_id, journey.version, journey.updated_at, journey.pk],
        )
