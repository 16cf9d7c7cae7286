"""The casework app's public API for other apps.

Other apps import this module, `porth.casework.models` and `porth.casework.signals`; nothing
else of casework. A `protected` import-linter contract (pyproject.toml) checks it.
"""

from typing import Any

from porth.utils.crypto import encrypt

from .actions import event_context
from .erasure import count_cases, erase_cases
from .models import Case, CaseEvent


def add_event(case: Case, kind: str, detail: dict[str, Any] | None = None) -> CaseEvent:
    """Put something that happened outside casework on the case's timeline (a message that
    could not be delivered). `detail` is encrypted, as every timeline detail is."""
    blob, key_id = encrypt(detail, context=event_context(case)) if detail else (b"", "")
    return CaseEvent.objects.create(case=case, kind=kind, detail=blob, key_id=key_id)


__all__ = ["add_event", "count_cases", "erase_cases"]
