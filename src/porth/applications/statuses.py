"""What a citizen reads of their case: each casework status, and each timeline event they
may see, in plain English (and Welsh), not in the words staff use.

Staff words stay in porth.casework (transitions.STATES, display.TITLES); a status or an event
kind added there shows here as "Being reviewed" or not at all until it is given words (a
test fails for a status with none).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from porth.casework.models import Status


@dataclass(frozen=True)
class CitizenStatus:
    text: Promise  # the tag's words
    colour: str  # a GOV.UK tag modifier ("" for the default dark blue)
    hint: Promise  # a sentence saying what happens next


SENT = CitizenStatus(
    _("Sent"), "", _("We have your application. We will tell you when anything changes.")
)
RECEIVED = CitizenStatus(
    _("Received"), "blue", _("We have your application. Nobody has started looking at it yet.")
)
BEING_REVIEWED = CitizenStatus(
    _("Being reviewed"), "light-blue", _("Someone is looking at your application.")
)

STATUSES: dict[str, CitizenStatus] = {
    Status.NEW: RECEIVED,
    Status.IN_PROGRESS: BEING_REVIEWED,
    Status.AWAITING_INFORMATION: CitizenStatus(
        _("We need more information"),
        "orange",
        _("We have asked you for more information. Use the link in the message we sent you."),
    ),
    Status.INFORMATION_RECEIVED: CitizenStatus(
        _("Being reviewed"),
        "light-blue",
        _("We have the information you sent. Someone is looking at your application."),
    ),
    Status.APPROVED: CitizenStatus(_("Approved"), "green", _("Your application was approved.")),
    Status.REJECTED: CitizenStatus(
        _("Not approved"), "red", _("Your application was not approved.")
    ),
    Status.CLOSED: CitizenStatus(
        _("Closed"), "grey", _("We have finished dealing with your application.")
    ),
}


def citizen_status(case_status: str | None) -> CitizenStatus:
    """The status a citizen sees: SENT when no case was opened (the service opens none)."""
    if case_status is None:
        return SENT
    return STATUSES.get(case_status, BEING_REVIEWED)


# The timeline events a citizen sees, by casework event kind. Staff's own steps (notes,
# assigning, a message that failed) are left out: they are not the citizen's business, or
# say nothing they can act on.
EVENTS: dict[str, Promise] = {
    "opened": _("Application received"),
    "request_information": _("We asked you for more information"),
    "information_received": _("You sent more information"),
    "message": _("We sent you a message"),
    "approve": _("Application approved"),
    "reject": _("Application not approved"),
    "close": _("Application closed"),
}
