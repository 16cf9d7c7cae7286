import hmac
import threading
import time

import pytest
from django.db import DatabaseError, OperationalError, connection, transaction

from porth.audit.models import AppendOnlyError, AuditEvent, AuditHead
from porth.audit.service import GENESIS, batch, canonical, record
from porth.utils.crypto import audit_keys

from .helpers import organisation


def keyed_hash(event: AuditEvent) -> str:
    """An HMAC-SHA256 under the current audit key: not computable from the database alone."""
    key_id, keys = audit_keys()
    assert event.key_id == key_id
    return hmac.new(keys[key_id], canonical(event), "sha256").hexdigest()


def make(n: int) -> list[AuditEvent]:
    return [record("test.thing", data={"n": i, "reference": f"REF-{i}"}) for i in range(n)]


@pytest.mark.django_db
def test_each_entry_hashes_its_content_and_the_previous_hash():
    first, second, third = make(3)
    assert first.previous_hash == GENESIS
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    for event in AuditEvent.objects.all():
        assert event.hash == keyed_hash(event)
        assert event.previous_hash.encode() in canonical(event)
    head = AuditHead.objects.get()
    assert (head.hash, head.count) == (third.hash, 3)


@pytest.mark.django_db
def test_the_hash_survives_the_round_trip_through_the_database():
    org = organisation()
    event = record("test.round_trip", organisation=org, data={"b": [1, 2.5, "é"], "a": None})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert keyed_hash(stored) == event.hash


@pytest.mark.django_db
def test_the_reference_in_data_is_copied_for_search():
    assert make(1)[0].reference == "REF-0"
    assert record("test.other", data={"reference": 12}).reference == ""


@pytest.mark.django_db
def test_a_batch_writes_its_entries_in_order_when_it_ends():
    before = make(1)[0]
    with transaction.atomic(), batch():
        first = record("test.batched", data={"n": 1})
        with batch():  # an inner batch joins the outer one
            second = record("test.batched", data={"n": 2})
        assert AuditEvent.objects.count() == 1  # nothing written until the batch ends
    assert (first.previous_hash, second.previous_hash) == (before.hash, first.hash)
    stored = list(AuditEvent.objects.order_by("id"))
    assert [e.pk for e in stored] == [before.pk, first.pk, second.pk]
    for event in stored:
        assert event.hash == keyed_hash(event)
    head = AuditHead.objects.get()
    assert (head.hash, head.count) == (second.hash, 3)


@pytest.mark.django_db
def test_a_batch_that_fails_writes_nothing():
    make(1)
    with pytest.raises(RuntimeError), transaction.atomic(), batch():
        record("test.batched")
        raise RuntimeError("the action failed")
    assert AuditEvent.objects.count() == 1
    assert AuditHead.objects.get().count == 1
    record("test.after")  # and the chain goes on from where it was
    assert AuditHead.objects.get().count == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain():
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            for i in range(10):
                for _attempt in range(200):
                    try:
                        with transaction.atomic():
                            record("test.concurrent", data={"worker": worker, "i": i})
                        break
                    except OperationalError as error:
                        # The in-memory SQLite test database locks whole tables and does
                        # not wait; PostgreSQL waits on the head's row lock instead.
                        if "locked" not in str(error):
                            raise
                        time.sleep(0.005)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    entries = list(AuditEvent.objects.order_by("id"))
    assert len(entries) == 40
    previous = GENESIS
    for entry in entries:
        assert entry.previous_hash == previous
        previous = entry.hash
    assert AuditHead.objects.get().count == 40


@pytest.mark.django_db
def test_the_model_refuses_changes_and_deletes():
    event = make(1)[0]
    event.action = "test.forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    fresh = AuditEvent.objects.get(pk=event.pk)
    with pytest.raises(AppendOnlyError):
        fresh.save(update_fields=["action"])


@pytest.mark.django_db
def test_querysets_refuse_bulk_changes_and_deletes():
    events = make(2)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=events[0].pk).update(action="test.forged")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update(events, ["action"])
    assert AuditEvent.objects.count() == 2


@pytest.mark.django_db
def test_the_database_refuses_updates():
    event = make(1)[0]
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["x", event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.thing"


@pytest.mark.django_db
def test_the_database_refuses_deleting_an_entry_after_the_first():
    events = make(3)
    for event in events[1:]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.count() == 3


@pytest.mark.django_db
def test_on_postgresql_the_database_refuses_deleting_any_entry():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets the oldest entry go, so the test runner can flush the table")
    events = make(2)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[0].pk])


@pytest.mark.django_db(transaction=True)
def test_the_test_runner_can_still_empty_the_log():
    """Flushing between transactional tests must work (SQLite deletes; PostgreSQL truncates)."""
    make(3)
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0
