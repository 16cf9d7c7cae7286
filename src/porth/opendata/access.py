"""Who may see and change which datasets.

Anyone may read an active public dataset. A dataset's organisation's data publishers may also
read its drafts and private datasets, and change it; nobody else may (least privilege: a
platform admin or caseworker is not a publisher unless made one).
"""

from django.db.models import Q

from porth.accounts.models import Role, User
from porth.accounts.service import has_role, organisation_ids

from .models import Dataset, State

PUBLISHER_ROLES = frozenset({Role.DATA_PUBLISHER})


def publishing_organisations(user: User | None) -> set[int]:
    """The organisations whose datasets this user may change (none for anonymous callers)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    return organisation_ids(user, PUBLISHER_ROLES)


def may_publish(user: User | None, organisation_id: int) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return has_role(user, organisation_id, PUBLISHER_ROLES)


def visible(
    organisations: set[int], *, include_private: bool = True, include_drafts: bool = False
) -> Q:
    """Datasets a caller who publishes for `organisations` may see: every active public one,
    and (if asked) their own organisations' private datasets and drafts. Deleted: never."""
    public = Q(state=State.ACTIVE, private=False)
    if not organisations:
        return public
    own = Q(organisation_id__in=organisations)
    shown = public
    if include_private:
        shown |= own & Q(state=State.ACTIVE)
    if include_drafts:
        shown |= own & Q(state=State.DRAFT)
    return shown


def may_see(dataset: Dataset, organisations: set[int]) -> bool:
    if dataset.state == State.DELETED:
        return dataset.organisation_id in organisations
    if dataset.state == State.ACTIVE and not dataset.private:
        return True
    return dataset.organisation_id in organisations
