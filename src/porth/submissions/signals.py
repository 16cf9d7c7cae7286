"""Signals of the submissions app (documented here, as Wagtail does)."""

from django.dispatch import Signal

# Sent inside the transaction that stores a submission, so that anything a receiver writes
# (a case, an audit entry) is committed with it or not at all.
# Arguments: submission (Submission), definition (the Definition it was made against),
# answers (dict: the submitted answers, decrypted), actor (User or None: who submitted it —
# a caseworker for assisted digital, None for a citizen).
submitted = Signal()
