"""Erasing personal data in place, for retention: the row stays (what is left is counted for
statistics) and its personal fields are blanked.

Each app lists its models' personal fields in one line each (`Personal`), found from the ids
its erasure is given (submissions', notifications'), and erases a batch with `erase_all`.
Erasing twice is harmless: rows already erased are left out (by their stamp, or because
their fields are blank already) and not counted again.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import QuerySet

Ids = Iterable[Any] | QuerySet[Any]


@dataclass(frozen=True)
class Personal:
    """The personal fields of `model` and what they become when erased.

    `name`: what the count is called in the audit log and the dry run ("case events").
    `by`: the lookup from the model to the ids erasure is given ("case__submission_id").
    `stamp`: a date-time field set to the moment of erasure; a row stamped already is
    skipped. Without one, a row whose fields are all blank already is skipped.
    """

    name: str
    model: type[models.Model]
    by: str
    blank: Mapping[str, Any]
    stamp: str | None = None

    def pending(self, ids: Ids) -> QuerySet[Any]:
        """The rows found by these ids (a list, or a query of them) not yet erased."""
        found = self.model._default_manager.filter(
            **{f"{self.by}__in": ids if isinstance(ids, QuerySet) else list(ids)}
        )
        if self.stamp:
            return found.filter(**{f"{self.stamp}__isnull": True})
        return found.exclude(**self.blank)

    def erase(self, ids: Ids, *, at: datetime) -> int:
        """Blank the personal fields of the rows found by these ids; how many were erased."""
        values = dict(self.blank)
        if self.stamp:
            values[self.stamp] = at
        return self.pending(ids).update(**values)


def erase_all(personal: Sequence[Personal], ids: Ids, *, at: datetime) -> dict[str, int]:
    """Erase every listed model's rows found by these ids: how many of each, by name."""
    return {item.name: item.erase(ids, at=at) for item in personal}


def count_all(personal: Sequence[Personal], ids: Ids) -> dict[str, int]:
    """How many rows of each listed model `erase_all` would erase (for a dry run)."""
    return {item.name: item.pending(ids).count() for item in personal}
