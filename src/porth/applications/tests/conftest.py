from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from porth.services import registry

from .helpers import write_service


@pytest.fixture
def service(tmp_path: Path, settings: Any, db: None) -> Iterator[Path]:
    """The test service (a case opened for each application), served instead of the examples."""
    settings.PORTH_SERVICES_DIR = tmp_path
    settings.PORTH_BASE_URL = "https://council.example"
    write_service(tmp_path)
    yield tmp_path
    registry.reload()
