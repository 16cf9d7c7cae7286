"""The live service definitions, loaded once per process from PORTH_SERVICES_DIR.

Loading checks every file; a bad definition stops the server from starting (with a message
naming the file, line and path) rather than failing in front of a citizen.
"""

import threading
from functools import cache

from django.conf import settings

from .definition import Definition, load_folder

_lock = threading.Lock()


@cache
def _load() -> dict[str, Definition]:
    with _lock:
        return load_folder(settings.PORTH_SERVICES_DIR)


def definitions() -> dict[str, Definition]:
    return _load()


def get(slug: str) -> Definition | None:
    return _load().get(slug)


def reload() -> None:
    """Forget the loaded definitions (tests, and after `porth load`)."""
    _load.cache_clear()
