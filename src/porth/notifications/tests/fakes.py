"""A fake provider and the channel that sends to it, for the delivery tests only.

The provider keeps what it accepted (`received`, by reference: a message accepted twice is
a duplicate the tests look for) and answers as scripted: a list of outcomes taken one per
send ("ok", or a Failure to raise), then "ok"; or down (TemporaryFailure, as a 500) until a
moment of the delivery clock. `find` answers from what it accepted, as Notify's look-up by
reference does, unless the provider cannot tell (`can_find=False`, as an SMTP server).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

import pytest

from porth.notifications import channels
from porth.notifications.channels import Channel, Failure, Message, Sent, TemporaryFailure


@dataclass
class Provider:
    script: list[str | Failure] = field(default_factory=list)
    down_until: datetime | None = None
    clock: Callable[[], datetime] | None = None
    can_find: bool = True
    delivered: bool = False  # whether Sent says it arrived (no receipt to wait for)
    received: list[Message] = field(default_factory=list)
    calls: int = 0

    def send(self, message: Message) -> Sent:
        self.calls += 1
        if self.down_until is not None and self.clock and self.clock() < self.down_until:
            raise TemporaryFailure("The provider answered 500 Internal Server Error.")
        outcome = self.script.pop(0) if self.script else "ok"
        if isinstance(outcome, Failure):
            raise outcome
        self.received.append(message)
        return Sent(provider_id=f"fake-{len(self.received)}", delivered=self.delivered)

    def find(self, reference: str) -> Sent | None:
        if not self.can_find:
            return None
        for number, message in enumerate(self.received, 1):
            if message.reference == reference:
                return Sent(provider_id=f"fake-{number}", delivered=self.delivered)
        return None

    def references(self) -> list[str]:
        return [message.reference for message in self.received]


class FakeChannel(Channel):
    name = "fake"
    provider: ClassVar[Provider] = Provider()

    def send(self, message: Message) -> Sent:
        return self.provider.send(message)

    def find(self, reference: str) -> Sent | None:
        return self.provider.find(reference)


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch, settings: object) -> Iterator[Provider]:
    """The fake channel, registered for this test and chosen for new notifications."""
    fake = Provider()
    monkeypatch.setattr(FakeChannel, "provider", fake)
    monkeypatch.setitem(channels._registry, FakeChannel.name, FakeChannel)
    settings.PORTH_NOTIFICATION_CHANNEL = FakeChannel.name  # type: ignore[attr-defined]
    yield fake
