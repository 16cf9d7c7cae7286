"""The accounts app's public API for other apps.

Other apps import this module, `porth.accounts.models` (users, organisations and roles: for
relations, type hints and reading rows) and `porth.accounts.signals` (what accounts announce);
nothing else of accounts. A `protected` import-linter contract (pyproject.toml) checks it.
"""

from .access import (
    CASE_ROLES,
    has_role,
    is_platform_admin,
    organisation_ids,
    signed_in_staff,
    staff_view,
)
from .demo import ensure_demo
from .demo import instructions as demo_instructions
from .organisations import ensure_organisation, members, organisation_id

__all__ = [
    "CASE_ROLES",
    "demo_instructions",
    "ensure_demo",
    "ensure_organisation",
    "has_role",
    "is_platform_admin",
    "members",
    "organisation_id",
    "organisation_ids",
    "signed_in_staff",
    "staff_view",
]
