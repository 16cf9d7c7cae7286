"""Fixtures most integrations tests share: a council with a service, cases, and a token."""

from collections.abc import Iterator
from typing import Any

import pytest

from porth.accounts.models import Organisation
from porth.casework.tests.helpers import definition_version

from .helpers import Receiver, organisation, receiver


@pytest.fixture
def org(db: None) -> Organisation:
    """test-council, which runs test-service (a stored definition version says so)."""
    made = organisation("test-council")
    definition_version("test-service")
    return made


@pytest.fixture
def other_org(db: None) -> Organisation:
    return organisation("other-council")


@pytest.fixture
def loopback() -> Iterator[Receiver]:
    with receiver() as found:
        yield found


@pytest.fixture(autouse=True)
def _base_url(settings: Any) -> None:
    settings.PORTH_BASE_URL = "https://porth.example"
