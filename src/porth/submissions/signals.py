"""Signals of the submissions app (documented here, as Wagtail does)."""

from django.dispatch import Signal

# Sent inside the transaction that stores a submission, so that anything a receiver writes
# (a case, an audit entry) is committed with it or not at all.
# Arguments: submission (Submission), definition (the Definition it was made against),
# answers (dict: the submitted answers, decrypted), actor (User or None: who submitted it —
# a caseworker for assisted digital, None for a citizen), request (HttpRequest or None: the
# request that sent it, for performance data's device class).
submitted = Signal()

# Sent inside the transaction that keeps a journey for "save and come back later", so that
# the message with the link is written with it or not at all.
# Arguments: journey (Journey), definition (the Definition it was started on), kind ("email"
# or "sms"), to (the address the citizen gave), link (absolute URL of the single-use resume
# link), return_by (datetime: when the link and the answers expire), language ("en"/"cy").
saved_for_later = Signal()

# Sent as a journey goes on, for performance data (porth.analytics), outside any transaction.
# Never with an answer or anything the citizen typed.
# Arguments: kind (str: "page_viewed", "page_answered", "validation_error", "change_used",
# "back_used", "exit_reached" or "resumed"), journey (Journey: not yet saved when the first
# page is viewed), page (str: the page id, or "check-answers"), variant (str: the experiment
# variant shown, "<experiment>:<a|b>", or ""), errors (list of (field id, the message shown, in
# English) for "validation_error", else []), request (HttpRequest or None), first (bool: for
# "page_viewed", the definition's first page; for "page_answered", this answer is the first
# thing of the journey stored). "exit_reached" is sent instead of "page_viewed" for an exit
# page; "change_used" and "back_used" with it (submissions.events says when).
journey_event = Signal()
