"""The notifications app's public API for other apps and the project's own modules.

Other apps import this module and `porth.notifications.models`; nothing else of
notifications. A `protected` import-linter contract (pyproject.toml) checks it.
"""

from .erasure import count_notifications, erase_notifications, next_to_erase

__all__ = ["count_notifications", "erase_notifications", "next_to_erase"]
