"""Staff pages: a case's messages as they were sent, and the messages that failed, with
sending one again. Staff see only their own organisations' messages."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from porth.accounts.models import Organisation, Role
from porth.audit.models import AuditEvent
from porth.casework.tests.helpers import make_case, organisation, signed_in, staff
from porth.notifications.models import Notification, Status

from .factories import make_notification
from .stubs import scheduled as scheduled  # a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def council() -> Organisation:
    return organisation("test-council")  # the organisation the test service names


# --- A case's messages ---------------------------------------------------------------------


def test_a_caseworker_sees_every_message_of_a_case_as_it_was_sent(council: Organisation) -> None:
    case = make_case(council)
    make_notification(
        case,
        status=Status.DELIVERED,
        subject="We have your application",
        body="Dear Jo,\n\nThank you.\nReference TS-0001-AAAA\n\n<script>alert(1)</script>",
    )
    make_notification(
        case,
        kind="sms",
        to="07700900002",
        subject="",
        body="Anfonwch gopi o'ch llythyr: https://porth.example/reply/abc",
        status=Status.PERMANENT_FAILURE,
        status_detail="GOV.UK Notify could not deliver it: the phone number is wrong",
        event="information_requested",
        language="cy",
    )
    caseworker = staff((council, Role.CASEWORKER))

    response = signed_in(caseworker).get(f"/staff/cases/{case.reference}/notifications")

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Text message: More information requested") < page.index(
        "Email: Application received"
    )
    assert '<strong class="govuk-tag govuk-tag--red">Permanent failure</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--green">Delivered</strong>' in page
    assert "the phone number is wrong" in page
    assert "07700900002" in page and "jo.bloggs@example.com" in page
    assert '<p class="govuk-body">Dear Jo,</p><p class="govuk-body">Thank you.<br>' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # The applicant's single-use link is shown, not made a link a click would use up.
    assert '<div lang="cy"><p class="govuk-body">Anfonwch gopi' in page
    assert 'href="https://porth.example/reply/abc"' not in page
    (entry,) = AuditEvent.objects.filter(action="case.notifications_viewed")
    assert (entry.actor_id, entry.data) == (caseworker.pk, {"reference": case.reference})


def test_a_case_with_no_messages_says_so(council: Organisation) -> None:
    case = make_case(council)
    page = signed_in(staff((council, Role.CASEWORKER))).get(
        f"/staff/cases/{case.reference}/notifications"
    )
    assert "No messages have been sent to the applicant" in page.content.decode()


def test_an_erased_message_says_it_was_erased(council: Organisation) -> None:
    case = make_case(council)
    notification = make_notification(case, status=Status.DELIVERED)
    Notification.objects.filter(pk=notification.pk).update(content=b"", erased_at=timezone.now())

    page = signed_in(staff((council, Role.TEAM_LEADER))).get(
        f"/staff/cases/{case.reference}/notifications"
    )

    assert "Erased, as the service&#39;s retention period has passed" in page.content.decode()


def test_another_organisations_case_messages_are_not_found(council: Organisation) -> None:
    case = make_case(council)
    make_notification(case)
    outsider = staff((organisation(), Role.CASEWORKER))

    response = signed_in(outsider).get(f"/staff/cases/{case.reference}/notifications")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="case.notifications_viewed").exists()


def test_the_case_page_links_to_its_messages(council: Organisation) -> None:
    case = make_case(council)
    page = signed_in(staff((council, Role.CASEWORKER))).get(f"/staff/cases/{case.reference}")
    assert f'href="/staff/cases/{case.reference}/notifications"' in page.content.decode()


# --- Failed messages ---------------------------------------------------------------------------


def make_failures(org: Organisation) -> dict[str, Notification]:
    case = make_case(org)
    now = timezone.now()
    return {
        "permanent": make_notification(
            case, status=Status.PERMANENT_FAILURE, status_detail="Address does not exist"
        ),
        "technical": make_notification(
            case, status=Status.TECHNICAL_FAILURE, status_detail="Refused Porth's API key"
        ),
        "given_up": make_notification(case, status=Status.TEMPORARY_FAILURE),
        "to_retry": make_notification(
            case, status=Status.TEMPORARY_FAILURE, next_attempt_at=now + timedelta(minutes=5)
        ),
        "delivered": make_notification(case, status=Status.DELIVERED),
        "sending": make_notification(case, status=Status.SENDING),
    }


def test_failed_messages_are_those_nobody_will_send_unless_staff_do(
    council: Organisation,
) -> None:
    mine = make_failures(council)
    theirs = make_failures(organisation())

    page = signed_in(staff((council, Role.CASEWORKER))).get("/staff/notifications/failed")

    html = page.content.decode()
    shown = {
        name
        for name, notification in (mine | {f"theirs_{k}": v for k, v in theirs.items()}).items()
        if f'value="{notification.reference}"' in html
    }
    assert shown == {"permanent", "technical", "given_up"}
    assert "Address does not exist" in html
    assert mine["permanent"].case is not None
    assert f"/staff/cases/{mine['permanent'].case.reference}/notifications" in html


def test_no_failed_messages_says_so(council: Organisation) -> None:
    page = signed_in(staff((council, Role.CASEWORKER))).get("/staff/notifications/failed")
    assert "No messages have failed." in page.content.decode()


def test_failed_messages_are_in_the_staff_menu_of_case_roles(council: Organisation) -> None:
    menu = 'href="/staff/notifications/failed"'
    assert menu in signed_in(staff((council, Role.CASEWORKER))).get("/staff/cases").content.decode()
    auditor = signed_in(staff((council, Role.AUDITOR))).get("/staff/audit/").content.decode()
    assert menu not in auditor


def test_sending_again_resets_the_message_audits_it_and_schedules_it(
    council: Organisation,
    scheduled: list[int],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    failed = make_failures(council)["permanent"]
    Notification.objects.filter(pk=failed.pk).update(
        attempts=5, provider_id="f2b3c1a0-1111-4222-8333-444455556666"
    )
    caseworker = staff((council, Role.CASEWORKER))

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(caseworker).post(
            "/staff/notifications/failed", {"notification": failed.reference}
        )

    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/notifications/failed?done=retried"
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.status_detail, failed.provider_id) == (
        Status.CREATED,
        0,
        "",
        "",
    )
    assert failed.next_attempt_at is not None
    assert abs((failed.next_attempt_at - timezone.now()).total_seconds()) < 60
    assert scheduled == [failed.pk]
    (entry,) = AuditEvent.objects.filter(action="notification.retried")
    assert entry.actor_id == caseworker.pk
    assert entry.organisation_id == council.pk
    assert failed.case is not None
    assert entry.data == {
        "reference": failed.case.reference,
        "notification": failed.reference,
        "from": "permanent-failure",
    }
    page = signed_in(caseworker).get(response.headers["Location"]).content.decode()
    assert "The message will be sent again" in page


def test_another_organisations_message_cannot_be_sent_again(
    council: Organisation, scheduled: list[int]
) -> None:
    theirs = make_failures(organisation())["permanent"]

    response = signed_in(staff((council, Role.CASEWORKER))).post(
        "/staff/notifications/failed", {"notification": theirs.reference}
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.PERMANENT_FAILURE
    assert scheduled == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": Status.CREATED}, "This message has not failed"),
        ({"content": b""}, "text has been erased"),
    ],
)
def test_a_message_that_cannot_be_sent_again_says_why(
    council: Organisation, scheduled: list[int], change: dict[str, Any], message: str
) -> None:
    failed = make_failures(council)["permanent"]
    Notification.objects.filter(pk=failed.pk).update(**change)

    response = signed_in(staff((council, Role.CASEWORKER))).post(
        "/staff/notifications/failed", {"notification": failed.reference}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert not AuditEvent.objects.filter(action="notification.retried").exists()


def test_a_saved_application_message_is_seen_by_the_services_organisation(
    council: Organisation, services_dir: Callable[..., Any], scheduled: list[int]
) -> None:
    services_dir("  - id: name\n    fields:\n      - {id: n, type: text, label: {en: Name}}")
    saved = make_notification(
        None, service="test-service", event="saved_for_later", status=Status.PERMANENT_FAILURE
    )

    mine = signed_in(staff((council, Role.CASEWORKER))).get("/staff/notifications/failed")
    theirs = signed_in(staff((organisation(), Role.CASEWORKER))).get("/staff/notifications/failed")

    assert f'value="{saved.reference}"' in mine.content.decode()
    assert "Application saved to finish later" in mine.content.decode()
    assert f'value="{saved.reference}"' not in theirs.content.decode()
