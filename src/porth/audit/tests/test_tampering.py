"""The attacks the chain alone let through: each is found by `porth audit verify`.

The attacker here can write to the database as the tables' owner (so the triggers do not
stop them) and runs Porth's own code, but holds neither the audit key nor the checkpoints
file."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from porth.audit import checkpoints
from porth.audit.models import AuditEvent
from porth.audit.service import GENESIS, HASHED, canonical_row, entry_hash, record
from porth.audit.verify import verify_chain
from porth.utils.crypto import audit_keys

from .helpers import behind_the_back


def make(n: int) -> list[AuditEvent]:
    return [record("test.thing", data={"n": i, "reference": f"REF-{i}"}) for i in range(n)]


def rewrite_from(entry: AuditEvent, *, key: bytes | None, key_id: str) -> None:
    """Change `entry`'s data and remake its hash and every later one, then move the head."""
    changed = json.dumps({**entry.data, "n": 99})
    behind_the_back("UPDATE audit_auditevent SET data = %s WHERE id = %s", [changed, entry.pk])
    previous = entry.previous_hash
    rows = AuditEvent.objects.filter(id__gte=entry.pk).order_by("id")
    for pk, *fields in rows.values_list("id", *HASHED):
        fields[-2:] = [previous, key_id]
        previous = entry_hash(canonical_row(*fields), key)
        behind_the_back(
            "UPDATE audit_auditevent SET previous_hash = %s, hash = %s, key_id = %s WHERE id = %s",
            [fields[-2], previous, key_id, pk],
        )
    behind_the_back("UPDATE audit_audithead SET hash = %s WHERE id = 1", [previous])


@pytest.fixture
def checkpoint_file(settings, tmp_path: Path) -> Path:
    settings.PORTH_AUDIT_CHECKPOINTS = tmp_path / "audit-checkpoints.jsonl"
    return settings.PORTH_AUDIT_CHECKPOINTS


def verify(path: Path) -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify", "--checkpoints", str(path))
    assert failure.value.returncode == 1
    return str(failure.value)


@pytest.mark.django_db
def test_an_entry_changed_and_every_later_hash_remade_without_the_key_is_found():
    events = make(5)
    rewrite_from(events[2], key=None, key_id=events[2].key_id)  # plain SHA-256, as before
    broken = verify_chain().broken
    assert broken is not None and broken.id == events[2].pk
    assert "content was changed" in broken.problem


@pytest.mark.django_db
def test_a_chain_remade_as_if_made_before_keying_is_found():
    events = make(5)
    rewrite_from(events[2], key=None, key_id="")
    broken = verify_chain().broken
    assert broken is not None and broken.id == events[2].pk
    assert "not keyed, though entries before it are" in broken.problem

    rewrite_from(events[0], key=None, key_id="")  # the whole chain, then
    broken = verify_chain().broken
    assert broken is not None and broken.id == events[0].pk
    assert "no checkpoint covers it" in broken.problem


@pytest.mark.django_db
def test_entries_made_before_keying_verify_as_far_as_a_checkpoint_covers_them(checkpoint_file):
    events = make(3)
    rewrite_from(events[0], key=None, key_id="")  # as a log from before the upgrade
    call_command("audit", "checkpoint")
    make(2)  # keyed, after the upgrade
    result = verify_chain(checkpoints=checkpoints.read(checkpoint_file))
    assert result.intact and (result.count, result.unkeyed) == (5, 3)


@pytest.mark.django_db
def test_the_newest_entries_deleted_with_the_head_wound_back_are_found(checkpoint_file):
    events = make(5)
    call_command("audit", "checkpoint")
    behind_the_back("DELETE FROM audit_auditevent WHERE id >= %s", [events[3].pk])
    behind_the_back(
        "UPDATE audit_audithead SET hash = %s, count = 3 WHERE id = 1", [events[2].hash]
    )
    assert verify_chain().intact  # the chain and the head alone agree
    message = verify(checkpoint_file)
    assert f"entry {events[2].pk} (number 3, " in message
    assert "recorded 5 entries but the log has 3: entries number 4 to 5 are missing" in message


@pytest.mark.django_db
def test_a_log_emptied_with_its_head_is_found(checkpoint_file):
    make(3)
    call_command("audit", "checkpoint")
    behind_the_back("DELETE FROM audit_auditevent")
    behind_the_back("DELETE FROM audit_audithead")
    assert verify_chain().intact
    assert "recorded 3 entries but the log has 0: entries number 1 to 3" in verify(checkpoint_file)


@pytest.mark.django_db
def test_a_log_rewritten_with_the_key_is_found_by_a_later_checkpoint(checkpoint_file):
    events = make(4)
    call_command("audit", "checkpoint")
    key_id, keys = audit_keys()
    rewrite_from(events[1], key=keys[key_id], key_id=key_id)  # an insider holding the key
    assert verify_chain().intact
    message = verify(checkpoint_file)
    assert f"entry {events[3].pk} (number 4, " in message
    assert "rewritten at or before this entry" in message


@pytest.mark.django_db
def test_the_checkpoint_command_appends_a_signed_line(checkpoint_file, capsys):
    events = make(2)
    call_command("audit", "checkpoint")
    call_command("audit", "checkpoint")
    lines = [json.loads(line) for line in checkpoint_file.read_text().splitlines()]
    assert [(line["count"], line["hash"]) for line in lines] == [(2, events[1].hash)] * 2
    assert {line["key"] for line in lines} == {audit_keys()[0]}
    call_command("audit", "verify")
    assert "2 entries verified, chain intact, against 2 checkpoints" in capsys.readouterr().out


@pytest.mark.django_db
def test_an_empty_log_can_be_checkpointed(checkpoint_file):
    call_command("audit", "checkpoint")
    (only,) = checkpoints.read(checkpoint_file)
    assert (only.count, only.hash) == (0, GENESIS)


@pytest.mark.django_db
def test_a_changed_checkpoint_is_not_trusted(checkpoint_file):
    make(3)
    call_command("audit", "checkpoint")
    line = json.loads(checkpoint_file.read_text())
    checkpoint_file.write_text(json.dumps({**line, "count": 2}) + "\n")
    assert "checkpoint line 1 was changed: its signature does not match" in verify(checkpoint_file)
    checkpoint_file.write_text("not json\n")
    assert "checkpoint line 1 cannot be read" in verify(checkpoint_file)
