from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from porth.audit.models import AuditEvent
from porth.audit.service import record
from porth.audit.verify import verify_chain


def make(n: int) -> list[AuditEvent]:
    return [record("test.thing", data={"n": i, "reference": f"REF-{i}"}) for i in range(n)]


def raw(sql: str, params: list[Any]) -> None:
    """Change the table behind the model's and the triggers' backs, as an attacker with
    database access could (they could drop the triggers)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        else:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_an_intact_log_verifies(capsys):
    make(5)
    call_command("audit", "verify")
    assert "5 entries verified, chain intact" in capsys.readouterr().out


@pytest.mark.django_db
def test_an_empty_log_verifies():
    assert verify_chain().intact


@pytest.mark.django_db
def test_changed_data_is_found_and_named():
    events = make(5)
    raw("UPDATE audit_auditevent SET data = %s WHERE id = %s", ['{"n": 99}', events[2].pk])
    result = verify_chain()
    assert result.broken is not None
    assert result.broken.id == events[2].pk
    assert "content was changed" in result.broken.problem
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify")
    assert failure.value.returncode == 1
    assert f"entry {events[2].pk} (" in str(failure.value)
    assert "test.thing" in str(failure.value)


@pytest.mark.django_db
def test_a_changed_search_reference_is_found():
    events = make(3)
    raw("UPDATE audit_auditevent SET reference = %s WHERE id = %s", ["OTHER", events[1].pk])
    broken = verify_chain().broken
    assert broken is not None and broken.id == events[1].pk


@pytest.mark.django_db
def test_a_deleted_middle_entry_is_found():
    events = make(5)
    raw("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    broken = verify_chain().broken
    assert broken is not None
    assert broken.id == events[3].pk
    assert f"does not follow entry {events[1].pk}" in broken.problem


@pytest.mark.django_db
def test_deleting_the_newest_entries_is_found_by_the_head():
    events = make(5)
    raw("DELETE FROM audit_auditevent WHERE id >= %s", [events[3].pk])
    broken = verify_chain().broken
    assert broken is not None
    assert broken.id == events[2].pk
    assert "the head counts 5 entries but the log has 3" in broken.problem


@pytest.mark.django_db
def test_deleting_the_oldest_entries_is_found():
    events = make(3)
    raw("DELETE FROM audit_auditevent WHERE id = %s", [events[0].pk])
    broken = verify_chain().broken
    assert broken is not None and broken.id == events[1].pk
    assert "GENESIS" in broken.problem


@pytest.mark.django_db
def test_reordered_entries_are_found():
    events = make(4)
    first, second = events[1].pk, events[2].pk
    raw("UPDATE audit_auditevent SET id = %s WHERE id = %s", [10_000, first])
    raw("UPDATE audit_auditevent SET id = %s WHERE id = %s", [first, second])
    raw("UPDATE audit_auditevent SET id = %s WHERE id = %s", [second, 10_000])
    broken = verify_chain().broken
    assert broken is not None and broken.id == first


@pytest.mark.django_db
def test_an_entry_appended_around_record_is_found():
    events = make(2)
    raw(
        "INSERT INTO audit_auditevent (at, actor_label, action, object_type, object_id, "
        "reference, data, previous_hash, hash, key_id) VALUES (%s, 'x', 'test.forged', '', '', "
        "'', '{}', %s, %s, '')",
        [events[0].at, events[1].hash, "f" * 64],
    )
    broken = verify_chain().broken
    assert broken is not None
