"""Erasing what a case holds about the applicant, with its submission's answers.

A case keeps its reference, service, queue, status, channel and dates (statistics, and the
citizen's enquiries by reference); its name index (keyed hashes of the applicant's name)
and the details of its timeline (notes, reasons, messages) go. The timeline keeps what
happened and when. Callers (porth.retention) batch, audit and commit.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from porth.utils.erasure import Personal, count_all, erase_all

from .models import OPEN_STATUSES, Case, CaseEvent, InformationRequest

# Personal data found by a submission's id, and what it becomes. A model that holds personal
# data about an applicant's case adds one line here.
PERSONAL: list[Personal] = [
    Personal("cases", Case, "submission_id", {"name_index": "", "name_index_key": ""}),
    Personal("case events", CaseEvent, "case__submission_id", {"detail": b"", "key_id": ""}),
    # What a caseworker asked; its link stops working (porth.casework.replies.check).
    Personal(
        "information requests",
        InformationRequest,
        "case__submission_id",
        {"text": b"", "key_id": ""},
    ),
]


def erase_cases(submission_ids: Sequence[int], *, at: datetime) -> dict[str, int]:
    """Erase the personal data of these submissions' cases; how many rows of each kind."""
    return erase_all(PERSONAL, submission_ids, at=at)


def count_cases(submissions: QuerySet[Any]) -> dict[str, int]:
    """What `erase_cases` would erase for these submissions (a query), and how
    many of those cases are still open (their answers would go all the same)."""
    return count_all(PERSONAL, submissions) | {
        "open cases": Case.objects.filter(
            submission__in=submissions, status__in=OPEN_STATUSES
        ).count()
    }
