"""Remake cases' name index with the current index key: `porth reindex`, after rotating
PORTH_INDEX_KEY (or after upgrading from a version that did not record the key).

The applicant's name is read from the submission's encrypted answers, as the case page
reads it. Each batch is one transaction with its audit entry, so an interrupted run keeps
what it did, and running again carries on with the cases still to do.
"""

from collections.abc import Callable

from django.db import transaction

from porth.audit.service import record
from porth.submissions.service import read_answers
from porth.utils.crypto import KeyError_, blind_index, index_keys

from .display import applicant_name
from .models import Case

BATCH = 500


def reindex_names(
    *,
    everything: bool = False,
    batch_size: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Remake the name index of every case not yet indexed with the current key (or of
    every case, with `everything`); returns how many. `progress(done, total)` is called
    after each batch."""
    key_id, _ = index_keys()
    # A case whose answers were erased has no name to index (nor tokens left to remake).
    cases = Case.objects.filter(submission__erased_at__isnull=True)
    todo = cases if everything else cases.exclude(name_index_key=key_id)
    total = todo.count()
    done = last = 0
    rows = (
        todo.select_related("submission__definition")
        # The definition is read from its own cache by id (display.definition_of).
        .defer("submission__definition__canonical")
        .order_by("pk")
    )
    while batch := list(rows.filter(pk__gt=last)[:batch_size]):
        with transaction.atomic():
            for case in batch:
                try:
                    name = applicant_name(case.submission, read_answers(case.submission))
                except KeyError_ as error:
                    raise KeyError_(f"case {case.reference}: {error}") from None
                case.name_index, case.name_index_key = blind_index(name)
            # Only these columns: not `version` or `updated_at`, so a caseworker's open
            # page is not refused as stale by a change they cannot see.
            Case.objects.bulk_update(batch, ["name_index", "name_index_key"])
            record(
                "cases.reindexed",
                data={
                    "cases": len(batch),
                    "index_key": key_id,
                    "from": batch[0].reference,
                    "to": batch[-1].reference,
                    "by": "porth reindex",
                },
            )
        done, last = done + len(batch), batch[-1].pk
        if progress is not None:
            progress(done, max(total, done))  # cases opened meanwhile may join the run
    return done
