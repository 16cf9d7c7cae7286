"""Fixtures of the notification tests: the fake provider, the stand-in templates, a clock."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from porth.notifications import delivery

from .fakes import Provider
from .fakes import provider as provider
from .helpers import templates as templates


@dataclass
class Clock:
    """The delivery clock, moved on by the test: hours pass in no time."""

    at: datetime

    def __post_init__(self) -> None:
        self.start = self.at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **amount: float) -> None:
        self.at += timedelta(**amount)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch, provider: Provider) -> Iterator[Clock]:
    moving = Clock(timezone.now())
    monkeypatch.setattr(delivery, "now", moving)
    provider.clock = moving
    yield moving
