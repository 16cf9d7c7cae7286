"""Signals of the casework app (documented here, as Wagtail does)."""

from django.dispatch import Signal

# Sent inside the transaction of a change the applicant must hear about, so that the
# message is written with the change or not at all.
# Arguments: case (Case), event (str: "information_requested", "approved", "rejected" or
# "message": a caseworker writes to the applicant), text (str or None: the caseworker's words,
# such as what is needed or the reason for rejecting), link (str or None: for
# "information_requested", the absolute URL of the single-use reply page), reply_by (datetime
# or None: when that link expires), actor (the member of staff).
applicant_event = Signal()

# Sent inside the transaction that opens a case or changes its status, for performance data.
# Arguments: case (Case), action (str: "opened", or the action taken: "approve", "reject",
# "close", "request_information", …), from_status (str: "" when opened), to_status (str),
# actor (the member of staff, or None), queue (str: the slug of the case's queue; passed so
# that no receiver needs a query for it).
case_changed = Signal()
