"""A stand-in for the delivery task's `schedule`, for tests of what calls it."""

import importlib
import sys
import types

import pytest


@pytest.fixture
def scheduled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """What was handed to porth.notifications.delivery.schedule, which is stubbed: the
    delivery task is not what these tests are about (and need not be there yet)."""
    calls: list[int] = []
    try:
        module = importlib.import_module("porth.notifications.delivery")
    except ImportError:
        module = types.ModuleType("porth.notifications.delivery")
        monkeypatch.setitem(sys.modules, "porth.notifications.delivery", module)
    monkeypatch.setattr(module, "schedule", calls.append, raising=False)
    return calls
