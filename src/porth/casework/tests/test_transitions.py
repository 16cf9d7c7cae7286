"""The status table: every action from every status, allowed or refused with a reason."""

import pytest

from porth.accounts.models import Role
from porth.casework import actions
from porth.casework.models import Status
from porth.casework.transitions import (
    ALLOWED,
    APPLICANT_ACTIONS,
    VERBS,
    available,
    next_status,
    refusal,
)

from .helpers import make_case, organisation, staff

EXPECTED = {
    # (action, from): to — anything not listed is refused
    ("claim", Status.NEW): Status.IN_PROGRESS,
    ("claim", Status.IN_PROGRESS): Status.IN_PROGRESS,
    ("claim", Status.AWAITING_INFORMATION): Status.AWAITING_INFORMATION,
    ("claim", Status.INFORMATION_RECEIVED): Status.INFORMATION_RECEIVED,
    ("claim", Status.APPROVED): Status.APPROVED,
    ("claim", Status.REJECTED): Status.REJECTED,
    ("assign", Status.NEW): Status.IN_PROGRESS,
    ("assign", Status.IN_PROGRESS): Status.IN_PROGRESS,
    ("assign", Status.AWAITING_INFORMATION): Status.AWAITING_INFORMATION,
    ("assign", Status.INFORMATION_RECEIVED): Status.INFORMATION_RECEIVED,
    ("assign", Status.APPROVED): Status.APPROVED,
    ("assign", Status.REJECTED): Status.REJECTED,
    ("note", Status.NEW): Status.NEW,
    ("note", Status.IN_PROGRESS): Status.IN_PROGRESS,
    ("note", Status.AWAITING_INFORMATION): Status.AWAITING_INFORMATION,
    ("note", Status.INFORMATION_RECEIVED): Status.INFORMATION_RECEIVED,
    ("note", Status.APPROVED): Status.APPROVED,
    ("note", Status.REJECTED): Status.REJECTED,
    ("message", Status.NEW): Status.NEW,
    ("message", Status.IN_PROGRESS): Status.IN_PROGRESS,
    ("message", Status.AWAITING_INFORMATION): Status.AWAITING_INFORMATION,
    ("message", Status.INFORMATION_RECEIVED): Status.INFORMATION_RECEIVED,
    ("message", Status.APPROVED): Status.APPROVED,
    ("message", Status.REJECTED): Status.REJECTED,
    ("request_information", Status.NEW): Status.AWAITING_INFORMATION,
    ("request_information", Status.IN_PROGRESS): Status.AWAITING_INFORMATION,
    ("request_information", Status.INFORMATION_RECEIVED): Status.AWAITING_INFORMATION,
    ("resume", Status.AWAITING_INFORMATION): Status.IN_PROGRESS,
    ("resume", Status.INFORMATION_RECEIVED): Status.IN_PROGRESS,
    ("reply", Status.AWAITING_INFORMATION): Status.INFORMATION_RECEIVED,
    ("approve", Status.IN_PROGRESS): Status.APPROVED,
    ("approve", Status.INFORMATION_RECEIVED): Status.APPROVED,
    ("reject", Status.IN_PROGRESS): Status.REJECTED,
    ("reject", Status.INFORMATION_RECEIVED): Status.REJECTED,
    ("close", Status.APPROVED): Status.CLOSED,
    ("close", Status.REJECTED): Status.CLOSED,
}
PAIRS = [(action, status) for action in VERBS for status in Status]
STAFF_PAIRS = [(action, status) for action, status in PAIRS if action not in APPLICANT_ACTIONS]


@pytest.mark.parametrize(("action", "status"), PAIRS)
def test_table(action, status):
    assert next_status(action, status) == EXPECTED.get((action, status))


def test_status_changes_are_exactly_the_allowed_ones():
    changes = {(s, t) for (_, s), t in EXPECTED.items() if s != t}
    assert changes == set(ALLOWED)


def test_only_the_applicants_reply_brings_a_case_to_information_received():
    into = {
        action
        for (action, status), target in EXPECTED.items()
        if target == Status.INFORMATION_RECEIVED and status != target
    }
    assert into == {"reply"} == set(APPLICANT_ACTIONS)


def test_staff_are_never_offered_the_applicants_reply():
    for status in Status:
        assert "reply" not in available(status)
    assert available(Status.INFORMATION_RECEIVED) == [
        "claim",
        "assign",
        "note",
        "message",
        "request_information",
        "resume",
        "approve",
        "reject",
    ]


def test_information_received_is_open_and_can_be_overdue():
    from porth.casework.models import OPEN_STATUSES

    assert Status.INFORMATION_RECEIVED in OPEN_STATUSES


def test_refusal_names_the_action_and_the_state():
    assert (
        refusal("approve", Status.AWAITING_INFORMATION)
        == "You cannot approve a case that is waiting for the applicant"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "status"), STAFF_PAIRS)
def test_actions_follow_the_table(action, status):
    org = organisation()
    worker = staff((org, Role.CASEWORKER))
    case = make_case(org, status=status)
    call = {
        "claim": lambda: actions.claim(case, version=1, actor=worker),
        "assign": lambda: actions.assign(case, worker.pk, version=1, actor=worker),
        "note": lambda: actions.add_note(case, "n", version=1, actor=worker),
        "message": lambda: actions.write_to_applicant(case, "m", version=1, actor=worker),
        "request_information": lambda: actions.request_information(
            case, "m", version=1, actor=worker
        ),
        "resume": lambda: actions.resume(case, version=1, actor=worker),
        "approve": lambda: actions.approve(case, version=1, actor=worker),
        "reject": lambda: actions.reject(case, "r", version=1, actor=worker),
        "close": lambda: actions.close(case, version=1, actor=worker),
    }[action]
    expected = EXPECTED.get((action, status))
    if expected is None:
        with pytest.raises(actions.Refused) as refused:
            call()
        assert refused.value.message == refusal(action, status)
        case.refresh_from_db()
        assert case.version == 1 and case.status == status
    else:
        call()
        case.refresh_from_db()
        assert case.status == expected and case.version == 2
