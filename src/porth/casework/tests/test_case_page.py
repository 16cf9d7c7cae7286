"""The case page: what it shows, who may see it, and every action on it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from porth.accounts.models import Role
from porth.audit.models import AuditEvent
from porth.casework.models import Case, CaseEvent, Status

from .helpers import make_case, organisation, signed_in, staff

pytestmark = pytest.mark.django_db


def _url(case: Case) -> str:
    return f"/staff/cases/{case.reference}"


def _post(client, case, action, **data):
    case.refresh_from_db()
    return client.post(_url(case), {"action": action, "version": case.version, **data})


def test_case_page_shows_answers_details_and_timeline(org, worker):
    case = make_case(org, name="Jo Bloggs-Prydderch", due_at=timezone.now() + timedelta(days=3))
    client = signed_in(worker)

    page = client.get(_url(case)).content.decode()

    assert "Jo Bloggs-Prydderch" in page
    assert "Do you live alone?" in page and "Yes" in page
    assert case.reference in page
    assert "Test service" in page or "test-service" in page
    assert "moj-timeline" in page
    assert "Overdue" not in page


def test_viewing_a_case_is_audited(org, worker):
    case = make_case(org)

    signed_in(worker).get(_url(case))

    entry = AuditEvent.objects.get(action="case.viewed")
    assert entry.actor == worker and entry.object_id == str(case.pk)


def test_another_organisations_case_is_404_on_every_url(org, worker):
    other = make_case(organisation("elsewhere"))
    client = signed_in(worker)

    assert client.get(_url(other)).status_code == 404
    for action in ["claim", "approve", "note", "close", "reject", "bogus"]:
        response = client.post(_url(other), {"action": action, "version": 1, "note": "x"})
        assert response.status_code == 404
    assert not CaseEvent.objects.filter(case=other).exclude(kind="opened").exists()


def test_platform_admin_without_case_role_sees_no_case(org):
    admin = staff((org, Role.PLATFORM_ADMIN))
    case = make_case(org)
    client = signed_in(admin)

    assert client.get(_url(case)).status_code == 404
    assert client.get("/staff/cases").status_code == 404


@pytest.mark.parametrize(
    ("action", "data", "status", "assigned"),
    [
        ("claim", {}, Status.IN_PROGRESS, True),
        ("request_information", {"message": "Send a photo"}, Status.AWAITING_INFORMATION, False),
        ("note", {"note": "Rang them"}, Status.NEW, False),
    ],
)
def test_action_changes_case_writes_event_and_audit(org, worker, action, data, status, assigned):
    case = make_case(org)
    client = signed_in(worker)

    response = _post(client, case, action, **data)

    assert response.status_code == 303
    case.refresh_from_db()
    assert case.status == status and case.version == 2
    assert (case.assigned_to == worker) is assigned
    assert CaseEvent.objects.filter(case=case, kind=action, actor=worker).exists()
    assert AuditEvent.objects.filter(action=f"case.{action}", object_id=str(case.pk)).exists()


def test_assign_to_a_colleague_and_not_to_an_outsider(org, worker):
    colleague = staff((org, Role.TEAM_LEADER), name="Col League")
    outsider = staff((organisation("elsewhere"), Role.CASEWORKER))
    auditor = staff((org, Role.AUDITOR))
    case = make_case(org)
    client = signed_in(worker)

    for person in (outsider, auditor):
        page = _post(client, case, "assign", assignee=person.pk).content.decode()
        assert "Select a member of staff in this team" in page
    assert _post(client, case, "assign", assignee=colleague.pk).status_code == 303

    case.refresh_from_db()
    assert case.assigned_to == colleague and case.status == Status.IN_PROGRESS
    assert "Assigned to Col League" in client.get(_url(case)).content.decode()


def test_the_whole_way_to_closed(org, worker):
    case = make_case(org)
    client = signed_in(worker)

    for action, data in [
        ("claim", {}),
        ("request_information", {"message": "Need proof"}),
        ("resume", {}),
        ("approve", {}),
        ("close", {}),
    ]:
        assert _post(client, case, action, **data).status_code == 303, action
    case.refresh_from_db()
    assert case.status == Status.CLOSED

    page = _post(client, case, "note", note="Too late").content.decode()
    assert "You cannot add a note to a case that is closed" in page
    assert "Too late" in page  # kept in the form
    assert "This case is closed" in client.get(_url(case)).content.decode()


def test_reject_needs_a_reason(org, worker):
    case = make_case(org, status=Status.IN_PROGRESS)
    client = signed_in(worker)

    page = _post(client, case, "reject", reason="   ").content.decode()

    assert "govuk-error-summary" in page
    assert "Enter the reason for rejecting the application" in page
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.version == 1

    assert _post(client, case, "reject", reason="Not eligible").status_code == 303
    case.refresh_from_db()
    assert case.status == Status.REJECTED
    assert "Not eligible" in client.get(_url(case)).content.decode()
    assert b"Not eligible" not in bytes(CaseEvent.objects.get(kind="reject").detail)


def test_refused_transition_is_explained_on_the_page(org, worker):
    case = make_case(org, status=Status.AWAITING_INFORMATION)

    response = _post(signed_in(worker), case, "approve")

    assert response.status_code == 200
    assert (
        "You cannot approve a case that is waiting for the applicant" in response.content.decode()
    )


def test_stale_version_keeps_the_note_and_says_why(org, worker):
    case = make_case(org)
    colleague = signed_in(staff((org, Role.CASEWORKER)))
    client = signed_in(worker)
    stale = case.version
    assert _post(colleague, case, "claim").status_code == 303

    response = client.post(
        _url(case), {"action": "note", "version": stale, "note": "My long careful note"}
    )

    page = response.content.decode()
    assert "Someone else changed this case while you were looking at it" in page
    assert "My long careful note" in page
    case.refresh_from_db()
    assert f'name="version" value="{case.version}"' in page
    assert not CaseEvent.objects.filter(kind="note").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "fly", "version": "1"},
        {"action": "approve"},
        {"action": "approve", "version": "not a number"},
        {"version": "1"},
        {"action": "assign", "version": "1", "assignee": "x"},
    ],
)
def test_forged_posts_get_a_message_not_an_error(org, worker, data):
    case = make_case(org, status=Status.IN_PROGRESS)

    response = signed_in(worker).post(_url(case), data)

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    case.refresh_from_db()
    assert case.version == 1


def test_overdue_case_is_tagged(org, worker):
    late = make_case(org, due_at=timezone.now() - timedelta(hours=1))
    decided = make_case(org, status=Status.APPROVED, due_at=timezone.now() - timedelta(days=1))
    client = signed_in(worker)

    assert "Overdue" in client.get(_url(late)).content.decode()
    assert "Overdue" not in client.get(_url(decided)).content.decode()
    assert late.is_overdue() and not decided.is_overdue()


def test_every_action_is_audited_with_the_actor(org, worker):
    case = make_case(org)
    client = signed_in(worker)
    for action, data in [("claim", {}), ("note", {"note": "n"}), ("approve", {}), ("close", {})]:
        _post(client, case, action, **data)
    client.get(_url(case))

    actions = set(AuditEvent.objects.filter(actor=worker).values_list("action", flat=True))

    assert {"case.claim", "case.note", "case.approve", "case.close", "case.viewed"} <= actions
    assert AuditEvent.objects.get(action="case.approve").data["to"] == Status.APPROVED
