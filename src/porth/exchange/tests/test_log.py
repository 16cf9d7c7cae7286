"""The message log's hash chain: `porth exchange verify` finds the first altered, missing
or moved entry, in the database or in an export a third party holds."""

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from porth.accounts.models import Organisation
from porth.exchange import keys, log
from porth.exchange.models import Direction, MessageLog, Outcome
from porth.signin.models import CitizenAccount

pytestmark = pytest.mark.django_db

FIELDS = [
    "message_id", "direction", "caller", "provider", "service", "purpose", "reference",
    "request_digest", "response_digest", "outcome", "reason", "previous_hash", "hash", "at",
]  # fmt: skip


@pytest.fixture
def agency() -> Organisation:
    organisation = Organisation.objects.create(slug="benefits-agency", name="Benefits Agency")
    for number in range(1, 6):
        log.append(
            organisation,
            message_id=f"m-{number}",
            direction=Direction.IN,
            caller="borough-council",
            provider=organisation.slug,
            service="confirm-application",
            purpose="council-tax-reduction",
            reference=f"BC-{number:04d}",
            request_digest="sha-256=:abc=:",
            response_digest="sha-256=:def=:",
            status=200,
            outcome=Outcome.ANSWERED,
        )
    return organisation


@contextmanager
def behind_the_back() -> Iterator[None]:
    """Change the log behind the model's and the triggers' backs, as someone who owns the
    tables could (they can drop or disable the triggers). Undone with the test's transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS exchange_log_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS exchange_log_no_delete")
        else:
            cursor.execute("SET LOCAL session_replication_role = replica")
    yield


def _entries(agency: Organisation) -> list[MessageLog]:
    return list(MessageLog.objects.filter(organisation=agency).order_by("id"))


def _verify(*args: str) -> str:
    out = io.StringIO()
    call_command("exchange", "verify", *args, stdout=out)
    return out.getvalue()


def test_an_untouched_log_verifies(agency: Organisation) -> None:
    assert "5 entries verified, chain intact" in _verify(agency.slug)


def test_an_altered_entry_is_found(agency: Organisation) -> None:
    third = _entries(agency)[2]
    with behind_the_back():
        MessageLog.objects.filter(pk=third.pk).update(purpose="housing")
    with pytest.raises(CommandError, match=r"entry number 3 .*m-3.*changed") as error:
        _verify(agency.slug)
    assert error.value.returncode == 1


def test_a_deleted_entry_is_found(agency: Organisation) -> None:
    with behind_the_back():
        MessageLog.objects.filter(pk=_entries(agency)[1].pk).delete()
    with pytest.raises(CommandError, match=r"entry number 2 .*m-3.*missing"):
        _verify(agency.slug)


def test_entries_cut_from_the_end_are_found(agency: Organisation) -> None:
    with behind_the_back():
        MessageLog.objects.filter(pk=_entries(agency)[-1].pk).delete()
    with pytest.raises(CommandError, match="head says 5"):
        _verify(agency.slug)


def test_reordered_entries_are_found(agency: Organisation) -> None:
    second, third = _entries(agency)[1:3]
    values = {
        entry.pk: {name: getattr(entry, name) for name in FIELDS} for entry in (second, third)
    }
    with behind_the_back():
        MessageLog.objects.filter(pk=second.pk).update(hash="x")  # hashes are unique
        MessageLog.objects.filter(pk=third.pk).update(**values[second.pk])
        MessageLog.objects.filter(pk=second.pk).update(**values[third.pk])
    with pytest.raises(CommandError, match=r"entry number 2 .*m-3"):
        _verify(agency.slug)


def test_entries_cannot_be_changed_through_the_model(agency: Organisation) -> None:
    entry = _entries(agency)[0]
    entry.reason = "changed"
    with pytest.raises(PermissionError):
        entry.save()


def test_the_database_refuses_changes_and_deletions(agency: Organisation) -> None:
    second = _entries(agency)[1]
    for change in (
        lambda: MessageLog.objects.filter(pk=second.pk).update(reason="changed"),
        lambda: MessageLog.objects.filter(pk=second.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert "5 entries verified" in _verify(agency.slug)


def test_removing_a_citizen_account_unlinks_its_entries_and_the_log_still_verifies(
    agency: Organisation,
) -> None:
    citizen = CitizenAccount.objects.create(issuer="https://oidc.example", subject="s")
    MessageLog.objects.filter(pk=_entries(agency)[0].pk).update(citizen=citizen)
    citizen.delete()
    assert not MessageLog.objects.filter(citizen__isnull=False).exists()
    assert "5 entries verified" in _verify(agency.slug)


def _export(agency: Organisation, tmp_path: Path) -> tuple[Path, Path]:
    exported = tmp_path / "log.jsonl"
    call_command("exchange", "export", agency.slug, str(exported), stderr=io.StringIO())
    jwks = tmp_path / "jwks.json"
    jwks.write_text(json.dumps(keys.jwks(agency)))
    return exported, jwks


def test_a_third_party_verifies_an_export_against_the_published_keys(
    agency: Organisation, tmp_path: Path
) -> None:
    exported, jwks = _export(agency, tmp_path)
    said = _verify("--file", str(exported), "--jwks", str(jwks))
    assert "5 entries verified" in said and "head signed by benefits-agency-" in said


@pytest.mark.parametrize(
    ("spoil", "problem"),
    [
        (lambda lines: lines[:1] + lines[2:], r"entry number 2 .*missing"),
        (lambda lines: [lines[0], lines[2], lines[1], *lines[3:]], r"entry number 2"),
        (lambda lines: lines[:4] + lines[5:], "head says 5"),
        (
            lambda lines: [lines[0].replace("BC-0001", "BC-9999"), *lines[1:]],
            r"entry number 1 .*changed",
        ),
    ],
    ids=["deleted", "reordered", "cut", "altered"],
)
def test_a_spoiled_export_is_found(
    agency: Organisation, tmp_path: Path, spoil: Any, problem: str
) -> None:
    exported, jwks = _export(agency, tmp_path)
    lines = exported.read_text().splitlines(keepends=True)
    exported.write_text("".join(spoil(lines)))
    with pytest.raises(CommandError, match=problem):
        _verify("--file", str(exported), "--jwks", str(jwks))


def test_an_export_whose_head_was_resigned_by_another_key_is_found(
    agency: Organisation, tmp_path: Path
) -> None:
    exported, jwks = _export(agency, tmp_path)
    lines = exported.read_text().splitlines()
    head = json.loads(lines[-1])
    head["signature"] = head["signature"][:-4] + (
        "AAA=" if not head["signature"].endswith("AAA=") else "BBB="
    )
    exported.write_text("\n".join([*lines[:-1], json.dumps(head)]) + "\n")
    with pytest.raises(CommandError, match="signature does not verify"):
        _verify("--file", str(exported), "--jwks", str(jwks))


def test_keys_are_rotated_and_listed_from_the_command_line(agency: Organisation) -> None:
    out = io.StringIO()
    call_command("exchange", "keys", "rotate", agency.slug, stdout=out)
    call_command("exchange", "keys", "rotate", agency.slug, stdout=out)
    listed = io.StringIO()
    call_command("exchange", "keys", "list", agency.slug, stdout=listed)
    states = [line.split()[-1] for line in listed.getvalue().splitlines()]
    assert states == ["signs", "verifies"]
    assert len(keys.jwks(agency)["keys"]) == 2


def test_a_private_key_is_encrypted_at_rest(agency: Organisation) -> None:
    key = keys.make(agency)
    assert b"PRIVATE KEY" not in bytes(key.private_key)


def test_services_and_partners_are_set_up_from_the_command_line(agency: Organisation) -> None:
    from porth.exchange.models import ExchangeService, Partner

    out = io.StringIO()
    call_command(
        "exchange", "publish", agency.slug, "confirm", "--name", "Confirm",
        "--query", "confirm-reference", stdout=out,
    )  # fmt: skip
    call_command(
        "exchange", "publish", agency.slug, "badge", "--name", "Badge", "--url",
        "http://legacy.example/badge", "--token-env", "BADGE_TOKEN",
        "--config", '{"map": {"valid": "Valid"}}', stdout=out,
    )  # fmt: skip
    badge = ExchangeService.objects.get(slug="badge")
    assert badge.handler == "http" and badge.config["map"] == {"valid": "Valid"}
    assert badge.config["token_env"] == "BADGE_TOKEN"
    with pytest.raises(CommandError, match="no query"):
        call_command("exchange", "publish", agency.slug, "x", "--name", "X", "--query", "nope")
    call_command("exchange", "partner", "other-porth", "https://other.example", stdout=out)
    assert Partner.objects.get(slug="other-porth").jwks_url == ""
