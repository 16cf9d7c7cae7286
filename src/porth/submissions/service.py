"""The submissions app's public API for other apps.

Other apps import this module, `porth.submissions.models` (for relations, type hints and
reading rows) and `porth.submissions.signals` (the `submitted` signal); nothing else of
submissions. A `protected` import-linter contract (pyproject.toml) checks it.
"""

from .actions import read_answers

__all__ = ["read_answers"]
