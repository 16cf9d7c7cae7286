"""The database keeps the head honest: it only moves forward, as appends move it, it cannot
be deleted, and neither table can be emptied with TRUNCATE (PostgreSQL)."""

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from porth.audit.models import AuditEvent, AuditHead
from porth.audit.service import GENESIS, record


def make(n: int) -> list[AuditEvent]:
    return [record("test.thing", data={"n": i}) for i in range(n)]


def refused(sql: str, params: list[Any] | None = None) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params or [])


def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE, and its test runner deletes the head's row")


@pytest.mark.django_db
def test_the_head_cannot_be_wound_back_to_hide_the_newest_entries():
    events = make(5)
    refused(
        "UPDATE audit_audithead SET hash = %s, count = %s WHERE id = 1",
        [events[2].hash, 3],
    )
    head = AuditHead.objects.get()
    assert (head.hash, head.count) == (events[4].hash, 5)


@pytest.mark.django_db
def test_the_head_cannot_be_moved_past_entries_that_are_not_there():
    events = make(2)
    refused("UPDATE audit_audithead SET count = %s WHERE id = 1", [7])
    refused("UPDATE audit_audithead SET hash = %s, count = 3 WHERE id = 1", [events[0].hash])
    assert AuditHead.objects.get().count == 2


@pytest.mark.django_db
def test_a_second_head_cannot_start_another_chain():
    make(1)
    refused("INSERT INTO audit_audithead (id, hash, count) VALUES (%s, %s, %s)", [2, GENESIS, 0])


@pytest.mark.django_db
def test_on_postgresql_the_head_cannot_be_deleted():
    postgresql_only()
    make(2)
    refused("DELETE FROM audit_audithead")
    assert AuditHead.objects.get().count == 2


def refusing_truncate() -> None:
    """Put back the production answer of `audit_may_empty()` for this transaction (the test
    runner's databases say yes, so that Django can empty them between tests). The entries
    were written in this transaction too: their foreign keys are checked first, as they
    would have been at commit, or PostgreSQL refuses TRUNCATE for that reason instead."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "CREATE OR REPLACE FUNCTION audit_may_empty() RETURNS boolean LANGUAGE sql AS "
            "$$ SELECT false $$"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("table", ["audit_auditevent", "audit_audithead"])
def test_on_postgresql_the_audit_tables_cannot_be_truncated(table):
    postgresql_only()
    make(3)
    with transaction.atomic():
        refusing_truncate()
        refused(f"TRUNCATE {table} CASCADE")
        assert AuditEvent.objects.count() == 3
        assert AuditHead.objects.get().count == 3
        transaction.set_rollback(True)  # the test database's own answer comes back
