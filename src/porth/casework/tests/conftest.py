"""Fixtures most casework tests share: a council, and a caseworker in it."""

from typing import Any

import pytest

from porth.accounts.models import Role

from .helpers import organisation, staff


@pytest.fixture
def org() -> Any:
    return organisation("test-council")


@pytest.fixture
def worker(org: Any) -> Any:
    return staff((org, Role.CASEWORKER), name="Cai Worker")
