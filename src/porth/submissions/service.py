"""The submissions app's public API for other apps.

Other apps import this module, `porth.submissions.models` (for relations, type hints and
reading rows) and `porth.submissions.signals` (the `submitted` signal); nothing else of
submissions. A `protected` import-linter contract (pyproject.toml) checks it.
"""

from .actions import read_answers
from .erasure import (
    count_abandoned_journeys,
    count_submissions,
    erase_abandoned_journeys,
    erase_submissions,
    journeys_idle_before,
    next_abandoned_journeys,
    next_to_erase,
    to_erase,
)

__all__ = [
    "count_abandoned_journeys",
    "count_submissions",
    "erase_abandoned_journeys",
    "erase_submissions",
    "journeys_idle_before",
    "next_abandoned_journeys",
    "next_to_erase",
    "read_answers",
    "to_erase",
]
