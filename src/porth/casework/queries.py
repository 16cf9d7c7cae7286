"""The queue page's reads: filters, search and keyset pagination over a large table.

Pages are found by a cursor — the sort value and id of the last row shown — never by
OFFSET, and nothing is counted: both cost time in proportion to the table, and queues grow
to millions of cases. Each filter combination is served by an index in `Case.Meta`.
"""

import base64
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from porth.utils.crypto import search_tokens

from .models import OPEN_STATUSES, Case

PAGE_SIZE = 25
SORTS = {"created": "created_at", "due": "due_at"}
REFERENCE_CHARS = re.compile(r"[^A-Z0-9]")


@dataclass(frozen=True)
class Filters:
    queue: int | None = None
    status: str = ""
    service: str = ""
    assigned: str = ""  # "me", "unassigned" or "" (anyone)
    overdue: bool = False
    search: str = ""
    sort: str = "created"
    order: str = "desc"


@dataclass(frozen=True)
class Page:
    cases: list[Case]
    next_cursor: str | None
    previous_cursor: str | None


def reference_candidates(text: str) -> list[str]:
    """The references a search could mean: as typed, or with its dashes put back."""
    typed = text.strip().upper()
    plain = REFERENCE_CHARS.sub("", typed)
    found = {typed}
    if len(plain) >= 8:
        body = f"{plain[-8:-4]}-{plain[-4:]}"
        found.add(f"{plain[:-8]}-{body}" if len(plain) > 8 else body)
    return sorted(found)


def filtered(organisation_ids: Iterable[int], filters: Filters, *, user_id: int) -> QuerySet[Case]:
    cases = Case.objects.filter(organisation_id__in=sorted(organisation_ids))
    if filters.queue:
        cases = cases.filter(queue_id=filters.queue)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.service:
        cases = cases.filter(service=filters.service)
    if filters.assigned == "me":
        cases = cases.filter(assigned_to_id=user_id)
    elif filters.assigned == "unassigned":
        cases = cases.filter(assigned_to__isnull=True)
    if filters.overdue:
        cases = cases.filter(status__in=OPEN_STATUSES, due_at__lt=timezone.now())
    if filters.search:
        cases = _search(cases, filters.search)
    return cases


def _search(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """A reference if one matches (one index lookup), else every word of the name.

    Two steps rather than one OR: `reference = x OR name_index LIKE y` cannot use the
    reference index, and would scan the whole table for every search.
    """
    by_reference = cases.filter(reference__in=reference_candidates(text))
    by_key = search_tokens(text)
    if not any(by_key.values()) or by_reference.exists():
        return by_reference
    # A case's tokens were made with one index key, named beside them; while the key is
    # being rotated (`porth reindex`), cases may have been made with any of those listed.
    match = Q()
    for key_id, tokens in by_key.items():
        words = Q(name_index_key=key_id)
        for token in tokens:
            # Tokens are fixed-length hex separated by spaces: a substring match is a word match.
            words &= Q(name_index__contains=token)
        match |= words
    return cases.filter(match)


# --- Cursors ------------------------------------------------------------------------------------


def encode_cursor(value: datetime | None, pk: int) -> str:
    raw = f"{value.isoformat() if value else ''}|{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime | None, int] | None:
    """The (sort value, id) in a cursor, or None if it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        value, _, pk = raw.partition("|")
        return (datetime.fromisoformat(value) if value else None), int(pk)
    except (ValueError, UnicodeDecodeError):
        return None


def _after(field: str, value: Any, pk: int, descending: bool) -> Q:
    """Rows after (value, pk) in the sort order. The redundant bound on `field` alone lets
    the database start its index scan there instead of filtering from the beginning."""
    if descending:
        return Q(**{f"{field}__lte": value}) & (Q(**{f"{field}__lt": value}) | Q(pk__lt=pk))
    return Q(**{f"{field}__gte": value}) & (Q(**{f"{field}__gt": value}) | Q(pk__gt=pk))


def _ordered(cases: QuerySet[Case], field: str, descending: bool) -> QuerySet[Case]:
    sign = "-" if descending else ""
    return cases.order_by(f"{sign}{field}", f"{sign}id")


def page(cases: QuerySet[Case], filters: Filters, *, after: str = "", before: str = "") -> Page:
    """One page of `cases` in the filters' order, after or before a cursor.

    Rows without a value to sort by (no due date) come last whichever way the page is
    sorted; they are read in a second step, in id order, when the dated rows run out.
    """
    field = SORTS.get(filters.sort, "created_at")
    descending = filters.order != "asc"
    backwards = bool(before) and not after
    position = decode_cursor(before if backwards else after) if (after or before) else None
    if position is None:
        backwards = False  # no cursor, or not one of ours: the first page
    dated = cases.filter(**{f"{field}__isnull": False}) if field == "due_at" else cases
    undated = cases.filter(**{f"{field}__isnull": True}) if field == "due_at" else cases.none()
    limit = PAGE_SIZE + 1
    # Walking forwards the display order is (dated in sort order, then undated by id);
    # walking backwards it is the reverse, and the rows are turned round at the end.
    forwards_desc = descending != backwards
    if position is None:
        rows = _first(dated, undated, field, forwards_desc, limit)
    else:
        value, pk = position
        if value is None:  # inside the undated tail
            id_after = Q(pk__lt=pk) if forwards_desc else Q(pk__gt=pk)
            tail = _ordered(undated.filter(id_after), "id", forwards_desc)
            rows = list(tail[:limit])
            if backwards and len(rows) < limit:
                rows += list(_ordered(dated, field, forwards_desc)[: limit - len(rows)])
        else:
            rest = dated.filter(_after(field, value, pk, forwards_desc))
            rows = list(_ordered(rest, field, forwards_desc)[:limit])
            if not backwards and len(rows) < limit:
                rows += list(_ordered(undated, "id", forwards_desc)[: limit - len(rows)])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if backwards:
        rows.reverse()
    has_next = more if not backwards else True
    has_previous = (more if backwards else position is not None) and bool(rows)
    return Page(
        cases=rows,
        next_cursor=_cursor(rows[-1], field) if rows and has_next else None,
        previous_cursor=_cursor(rows[0], field) if rows and has_previous else None,
    )


def _first(
    dated: QuerySet[Case], undated: QuerySet[Case], field: str, descending: bool, limit: int
) -> list[Case]:
    """The first page: dated rows in order, then undated ones if the dated run out."""
    rows = list(_ordered(dated, field, descending)[:limit])
    if len(rows) < limit:
        rows += list(_ordered(undated, "id", descending)[: limit - len(rows)])
    return rows


def _cursor(case: Case, field: str) -> str:
    return encode_cursor(getattr(case, field), case.pk)
