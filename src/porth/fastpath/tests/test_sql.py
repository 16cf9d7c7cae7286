"""The hot path's statements share one kept cursor per connection, and behave as through
Django's own cursors: reconnecting, Django's errors, counted queries, broken transactions."""

from collections.abc import Iterator

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from porth.fastpath import sql

pytestmark = pytest.mark.django_db

TABLE = "services_definitionversion"  # any table will do


def _count() -> int:
    row = sql.one(f"SELECT COUNT(*) FROM {TABLE}")
    assert row is not None
    return int(row[0])


@pytest.fixture
def unshared() -> Iterator[None]:
    """The connection as a server process has it: not shared between threads. pytest-django's
    live server (session-wide) shares it while it runs, and _cursor then rightly keeps none;
    it is idle between tests, so unsharing it for one test is safe."""
    shared = 0
    while connection.allow_thread_sharing:
        connection.dec_thread_sharing()
        shared += 1
    yield
    for _ in range(shared):
        connection.inc_thread_sharing()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("unshared")
def test_statements_share_one_cursor_until_the_connection_changes() -> None:
    _count()
    kept = sql._cursor()
    assert sql._cursor() is kept
    assert sql.run(f"UPDATE {TABLE} SET slug = slug WHERE id < 0") == 0
    assert sql._cursor() is kept
    before = connection.connection

    connection.close()  # dropped (a restart, an idle timeout): a new connection, a new cursor
    assert _count() == 0
    if connection.connection is not before:  # SQLite's in-memory test database stays open
        assert sql._cursor() is not kept


def test_queries_being_counted_are_counted() -> None:
    with CaptureQueriesContext(connection) as captured:
        _count()
        _count()
    assert len(captured) == 2


def test_errors_are_djangos_and_the_cursor_works_after_them() -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        sql.one("SELECT no_such_column FROM " + TABLE)
    assert _count() == 0

    with pytest.raises(IntegrityError), transaction.atomic():
        sql.run(f"INSERT INTO {TABLE} (slug, version, canonical) VALUES (NULL, NULL, NULL)")
    assert _count() == 0


def test_a_broken_transaction_is_refused_as_django_refuses_it() -> None:
    with transaction.atomic():
        with pytest.raises(IntegrityError), transaction.atomic():
            sql.run(f"INSERT INTO {TABLE} (slug, version, canonical) VALUES (NULL, NULL, NULL)")
        connection.needs_rollback = True
        with pytest.raises(TransactionManagementError):
            _count()
