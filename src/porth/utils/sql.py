"""SQL for the hot path: statements written once and run through Django's connection.

Building a query through the ORM costs several times more than running it (measured with
bench/inprocess.py), so the few queries every journey page or submission makes are composed
once from the models' metadata and run with `one` and `run`.

Django's `Model.save()` builds its INSERT afresh each time: about 0.5 ms here for a row that
takes a tenth of that to write (measured with bench/inprocess.py), and a submission writes
five rows (the submission, its case, the case's first event, two audit entries). `insert`
converts each value exactly as the ORM does (`pre_save`, then `get_db_prep_save`), so the
row is the one `save()` would write. It sends no `pre_save`/`post_save` signals: use it only
for models that nobody listens to (a test checks the ones that use it).

The statements run on one cursor per connection, kept: making a cursor for each statement
(Django's cursor, the driver's, then closing both) cost 10 µs on SQLite and 20 to 50 µs on
PostgreSQL, against 70 to 100 µs for the whole round trip (bench/inprocess.py's journeys
make about one statement per request). Everything Django does before a cursor is used (the
connection health check, reconnecting, refusing work in a broken transaction, turning
driver errors into Django's) still happens for every statement.
"""

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.utils import CursorWrapper
from django.db.models.fields import Field


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
    cursor = _cursor()
    cursor.execute(statement, params)
    row: tuple[Any, ...] | None = cursor.fetchone()
    return row


def run(statement: str, params: Sequence[Any] = ()) -> int:
    """Run a statement that gives no rows (an UPDATE); how many rows it changed."""
    cursor = _cursor()
    cursor.execute(statement, params)
    changed: int = cursor.rowcount
    return changed


@cache
def _statement(
    model: type[models.Model], skip_conflicts: bool = False
) -> "tuple[str, list[Field[Any, Any]]]":
    meta = model._meta
    quote = connection.ops.quote_name
    pk = meta.pk
    assert pk is not None
    # An auto-increment primary key is the database's to choose; any other is ours.
    fields = [f for f in meta.concrete_fields if not (f is pk and f.db_returning)]
    return (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
        f"{' ON CONFLICT DO NOTHING' if skip_conflicts else ''} RETURNING {quote(str(pk.column))}",
        fields,
    )


def insert(obj: models.Model, *, skip_conflicts: bool = False) -> bool:
    """Write a new row for `obj` (as `obj.save(force_insert=True)` would) and set its pk.

    With `skip_conflicts`, a row that would break a unique constraint is not written and
    False is returned: the transaction carries on, with no savepoint to set and release."""
    statement, fields = _statement(type(obj), skip_conflicts)
    db = connections[DEFAULT_DB_ALIAS]  # not the proxy, which looks it up at each use
    values = [field.get_db_prep_save(field.pre_save(obj, True), db) for field in fields]
    row = one(statement, values)
    if row is None:
        assert skip_conflicts
        return False
    obj.pk = row[0]
    obj._state.adding = False
    obj._state.db = DEFAULT_DB_ALIAS
    return True
