"""Which status a case may move to, and what to tell someone who tries anything else.

The table is the whole rule: an action is allowed from a status only if it is listed here.
Pure data and functions (no database), so the views, the actions and the tests share it.
"""

from .models import Status

# Status changes that may happen at all: (from, to).
ALLOWED = frozenset(
    {
        (Status.NEW, Status.IN_PROGRESS),
        (Status.NEW, Status.AWAITING_INFORMATION),
        (Status.IN_PROGRESS, Status.AWAITING_INFORMATION),
        (Status.AWAITING_INFORMATION, Status.IN_PROGRESS),
        # The applicant's reply, and nothing else, brings a case here (see APPLICANT_ACTIONS).
        (Status.AWAITING_INFORMATION, Status.INFORMATION_RECEIVED),
        (Status.INFORMATION_RECEIVED, Status.IN_PROGRESS),
        (Status.INFORMATION_RECEIVED, Status.AWAITING_INFORMATION),  # ask again
        # The reply is often what the decision waited for: no need to resume first.
        (Status.INFORMATION_RECEIVED, Status.APPROVED),
        (Status.INFORMATION_RECEIVED, Status.REJECTED),
        (Status.IN_PROGRESS, Status.APPROVED),
        (Status.IN_PROGRESS, Status.REJECTED),
        (Status.APPROVED, Status.CLOSED),
        (Status.REJECTED, Status.CLOSED),
    }
)

# Each action that changes the status, with the status it moves the case to.
TARGETS: dict[str, Status] = {
    "request_information": Status.AWAITING_INFORMATION,
    "resume": Status.IN_PROGRESS,
    "reply": Status.INFORMATION_RECEIVED,
    "approve": Status.APPROVED,
    "reject": Status.REJECTED,
    "close": Status.CLOSED,
}

# Actions allowed only from some of the statuses that may move to their target: a new case
# starts by being assigned, not resumed.
ONLY_FROM: dict[str, frozenset[Status]] = {
    "resume": frozenset({Status.AWAITING_INFORMATION, Status.INFORMATION_RECEIVED}),
}

# Actions that do not change the status by themselves (assigning a new case starts it).
KEEP_STATUS = frozenset({"claim", "assign", "note", "message"})

# Actions the applicant takes (the reply page), never offered to staff on the case page.
APPLICANT_ACTIONS = frozenset({"reply"})

VERBS = {
    "claim": "assign yourself to",
    "assign": "assign",
    "note": "add a note to",
    "message": "write to the applicant of",
    "request_information": "ask for more information on",
    "resume": "resume",
    "approve": "approve",
    "reject": "reject",
    "close": "close",
    "reply": "add the applicant’s reply to",
}

STATES = {
    Status.NEW: "new",
    Status.IN_PROGRESS: "in progress",
    Status.AWAITING_INFORMATION: "waiting for the applicant",
    Status.INFORMATION_RECEIVED: "information received",
    Status.APPROVED: "approved",
    Status.REJECTED: "rejected",
    Status.CLOSED: "closed",
}

ACTIONS = frozenset(VERBS)


def refusal(action: str, status: str) -> str:
    """Why `action` is refused on a case in `status`."""
    return f"You cannot {VERBS[action]} a case that is {STATES[Status(status)]}"


def next_status(action: str, status: str) -> Status | None:
    """The status after `action`, or None if the action is not allowed from `status`."""
    current = Status(status)
    if current == Status.CLOSED:
        return None  # a closed case is finished: nothing more happens to it
    if action in KEEP_STATUS:
        if action in {"claim", "assign"} and current == Status.NEW:
            return Status.IN_PROGRESS
        return current
    target = TARGETS[action]
    if action in ONLY_FROM and current not in ONLY_FROM[action]:
        return None
    return target if (current, target) in ALLOWED else None


def available(status: str) -> list[str]:
    """The staff actions to offer on a case in `status`, in the order the page shows them."""
    return [
        action
        for action in VERBS
        if action not in APPLICANT_ACTIONS and next_status(action, status) is not None
    ]
