"""A real `porth worker` with a slow fake provider, and the notifications for it, in processes
of their own: `python -m porth.notifications.tests.worker_site make 40 | worker | report`.

The provider is a file (PORTH_FAKE_PROVIDER): a line per message it accepted, written half
way through a slow send. While the file PORTH_FAKE_HANG exists, a send hangs, before the
provider has the message or after it (before the worker can record it), by the message's
reference, and says so in PORTH_FAKE_HANG + ".hung": the test then kills the workers in the
middle of a send, for sure. `find` reads the file, as Notify's look-up by reference answers
from what Notify has.

The environment says where the database is (DATABASE_URL) and which backend carries the
tasks (PORTH_TASKS); used by test_faults.py and nothing else.
"""

import fcntl
import json
import os
import sys
import time
from pathlib import Path

SLOW = 0.2  # seconds a send takes


def _provider() -> Path:
    return Path(os.environ["PORTH_FAKE_PROVIDER"])


def accepted(path: Path | None = None) -> list[str]:
    """References the provider has accepted, in order (a duplicate appears twice)."""
    path = path or _provider()
    return path.read_text().split() if path.exists() else []


def _append(path: Path, line: str) -> None:
    with path.open("a") as log:
        fcntl.flock(log, fcntl.LOCK_EX)  # two workers write to it
        log.write(line + "\n")
        log.flush()
        os.fsync(log.fileno())


def _hang(reference: str) -> None:
    """Hang while the test asks (until it kills this worker)."""
    gate = Path(os.environ["PORTH_FAKE_HANG"])
    if gate.exists():
        _append(gate.with_suffix(".hung"), reference)
        while gate.exists():
            time.sleep(0.05)


def _register_slow_channel() -> None:
    from porth.notifications.channels import Channel, Message, Sent, register

    @register
    class SlowChannel(Channel):
        name = "slow-fake"

        def send(self, message: Message) -> Sent:
            after = int(message.reference, 16) % 2 == 0  # hang after the provider has it
            time.sleep(SLOW / 2)
            if not after:
                _hang(message.reference)
            _append(_provider(), message.reference)
            if after:
                _hang(message.reference)
            time.sleep(SLOW / 2)
            return Sent(provider_id=f"slow-{message.reference}", delivered=True)

        def find(self, reference: str) -> Sent | None:
            if reference in accepted():
                return Sent(provider_id=f"slow-{reference}", delivered=True)
            return None


def make(count: int) -> None:
    from django.db import transaction

    from porth.notifications import content, delivery
    from porth.notifications.models import Notification

    for number in range(count):
        with transaction.atomic():
            row = Notification(
                kind="email", channel="slow-fake", event="submitted", service="tell-us"
            )
            row.content, row.key_id = content.seal(
                row.reference,
                content.Content(to=f"applicant{number}@example.com", subject="Hello", body="Hi"),
            )
            row.save()
            delivery.schedule(row.pk)


def report() -> None:
    from porth.notifications.models import Notification

    rows = Notification.objects.values_list("reference", "status", "lease_until", "attempts")
    print(
        json.dumps(
            [
                {"reference": ref, "status": status, "leased": lease is not None, "attempts": n}
                for ref, status, lease, n in rows
            ]
        )
    )


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "porth.conf.settings")
    if argv[0] == "worker":
        _register_slow_channel()
        from porth.cli import main as porth

        return porth(["worker", "--interval", "0.1", *argv[1:]])
    import django

    django.setup()
    if argv[0] == "make":
        make(int(argv[1]))
    else:
        report()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
