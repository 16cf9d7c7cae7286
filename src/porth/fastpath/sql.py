"""The hot path's hand-written statements, run on one kept cursor per connection, and rows
inserted with a statement composed once ("sql").

Building a query through the ORM costs more than running it, so the few queries every journey
page or submission makes are written once, in the modules that make them, from the models'
metadata (with `quote`, `table`, `for_update`), and run here with `one` and `run`; with the
optimisation off, those modules make the same queries through the ORM. Making a cursor for each statement (Django's
cursor, the driver's, then closing both) costs a noticeable share of a short round trip, so
each connection keeps one. Everything Django does before a cursor is used (the connection
health check, reconnecting, refusing work in a broken transaction, turning driver errors into
Django's) still happens for every statement.

`insert` writes a new row with an INSERT composed once per model from its metadata, converting
each value exactly as the ORM does (`pre_save`, then `get_db_prep_save`), so the row is the
one `save()` would write. It sends no `pre_save`/`post_save` signals: use it only for models
that nobody listens to (a test checks the ones that use it). A model the statement cannot
write as `save()` would (a generated field, a database default) is saved by `save()`.

With the optimisation off, each statement gets a cursor of its own and `insert` is `save()`.
"""

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, models, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import NOT_PROVIDED
from django.db.models.fields import Field

from porth import fastpath


def quote(name: str) -> str:
    """A table or column name quoted for this database."""
    quoted: str = connection.ops.quote_name(name)
    return quoted


def table(model: type[models.Model]) -> str:
    return quote(model._meta.db_table)


def for_update() -> str:
    """` FOR UPDATE`, where the database locks rows (SQLite has no row locks: a transaction
    that writes, begun IMMEDIATE, locks the database)."""
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


def adapt_datetime(moment: Any) -> Any:
    """A time as the ORM would store it (SQLite keeps naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(moment)


def _cursor() -> CursorWrapper:
    """The connection's kept cursor (see above), or a new one when it cannot be kept."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.queries_logged or db.allow_thread_sharing:
        # Queries being counted (tests, DEBUG) go through Django's logging cursor; a
        # connection shared between threads (tests' live server) must not share results.
        return db.cursor()
    db.close_if_health_check_failed()  # once per request, as Django's cursor() would
    kept: tuple[Any, CursorWrapper] | None = getattr(db, "_porth_cursor", None)
    if kept is None or kept[0] is not db.connection:  # none yet, or a new connection
        cursor = db.cursor()  # connects if need be
        db._porth_cursor = kept = (db.connection, cursor)  # type: ignore[attr-defined]
    return kept[1]


def one(statement: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
    """The first row `statement` gives, or None."""
    if not fastpath.on("sql"):
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchone()
    cursor = _cursor()
    cursor.execute(statement, params)
    row: tuple[Any, ...] | None = cursor.fetchone()
    return row


def run(statement: str, params: Sequence[Any] = ()) -> int:
    """Run a statement that gives no rows (an UPDATE); how many rows it changed."""
    if not fastpath.on("sql"):
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.rowcount
    cursor = _cursor()
    cursor.execute(statement, params)
    changed: int = cursor.rowcount
    return changed


@cache
def _statement(
    model: type[models.Model], unique: str | None
) -> "tuple[str, list[Field[Any, Any]]] | None":
    """The INSERT for `model` and the fields it writes, or None if only save() can write it."""
    meta = model._meta
    if any(f.generated or f.db_default is not NOT_PROVIDED for f in meta.concrete_fields):
        return None
    quote = connection.ops.quote_name
    pk = meta.pk
    assert pk is not None
    # An auto-increment primary key is the database's to choose; any other is ours.
    fields = [f for f in meta.concrete_fields if not (f is pk and f.db_returning)]
    conflict = ""
    if unique is not None:
        column = meta.get_field(unique).column  # type: ignore[union-attr]
        conflict = f" ON CONFLICT ({quote(str(column))}) DO NOTHING"
    return (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}){conflict} RETURNING {quote(str(pk.column))}",
        fields,
    )


def insert(obj: models.Model, *, unless_taken: str | None = None) -> bool:
    """Write a new row for `obj` (as `obj.save(force_insert=True)` would) and set its pk.

    `unless_taken`: a unique field (a reference drawn at random). If its value is taken, no
    row is written and False is returned: the transaction carries on. Any other constraint
    that the row breaks raises IntegrityError, as `save()` would."""
    model = type(obj)
    if unless_taken is not None:
        field = model._meta.get_field(unless_taken)
        if not getattr(field, "unique", False):
            raise ValueError(f"{model.__name__}.{unless_taken} is not unique")
    composed = _statement(model, unless_taken) if fastpath.on("sql") else None
    if composed is None:
        return _save(obj, unless_taken)
    statement, fields = composed
    db = connections[DEFAULT_DB_ALIAS]  # not the proxy, which looks it up at each use
    values = [field.get_db_prep_save(field.pre_save(obj, True), db) for field in fields]
    row = one(statement, values)
    if row is None:
        return False
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = DEFAULT_DB_ALIAS
    return True


def _save(obj: models.Model, unless_taken: str | None) -> bool:
    if unless_taken is None:
        obj.save(force_insert=True)
        return True
    taken = type(obj)._default_manager.filter(**{unless_taken: getattr(obj, unless_taken)})
    if taken.exists():
        return False
    try:
        with transaction.atomic():  # a savepoint: a clash since the check rolls back alone
            obj.save(force_insert=True)
    except IntegrityError:
        if taken.exists():
            return False
        raise
    return True
