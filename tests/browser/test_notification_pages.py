"""Messages to applicants in a real browser: a caseworker reads a case's messages from the
case page and sends a failed one again (JavaScript off); axe-core on the staff pages and on
the developer's outbox (JavaScript on)."""

import re
from typing import Any

import pytest

from porth.accounts.models import Organisation
from porth.accounts.tests.browser import caseworker, sign_in
from porth.casework.tests.helpers import make_case
from porth.notifications.channels import Message, channel
from porth.notifications.models import Notification, Status
from porth.notifications.tests.factories import make_notification
from porth.notifications.tests.stubs import scheduled as scheduled  # a fixture

expect = pytest.importorskip("playwright.sync_api", reason="needs Playwright").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def messages(org: Organisation) -> tuple[Any, Notification]:
    """A case with a delivered email and a text message that failed for good."""
    case = make_case(org, name="Jo Bloggs")
    make_notification(
        case,
        status=Status.DELIVERED,
        subject="We have your application",
        body=f"Dear Jo,\n\nWe have your application. Your reference is {case.reference}.",
    )
    failed = make_notification(
        case,
        kind="sms",
        to="07700900002",
        subject="",
        body="Anfonwch gopi o'ch llythyr PIP: https://porth.example/reply/abc",
        status=Status.PERMANENT_FAILURE,
        status_detail="GOV.UK Notify could not deliver it: the phone number is wrong",
        event="information_requested",
        language="cy",
    )
    return case, failed


def test_a_caseworker_reads_a_cases_messages_and_sends_a_failed_one_again(
    page: Any, council: Organisation, scheduled: list[int]
) -> None:
    user = caseworker(council)
    case, failed = messages(council)

    page.goto(f"/staff/cases/{case.reference}")
    sign_in(page, user)
    page.wait_for_url(re.compile(rf"/staff/cases/{case.reference}$"))
    page.get_by_role("link", name="Messages sent to the applicant").click()
    page.wait_for_url(re.compile(rf"/staff/cases/{case.reference}/notifications$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages to the applicant")
    cards = page.locator(".govuk-summary-card")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("Text message: More information requested")
    expect(cards.first).to_contain_text("Permanent failure")
    expect(cards.first).to_contain_text("the phone number is wrong")
    expect(cards.nth(1)).to_contain_text(f"Your reference is {case.reference}.")

    page.get_by_role("link", name="Failed messages").click()
    page.wait_for_url(re.compile(r"/staff/notifications/failed$"))
    expect(page.locator("main table")).to_contain_text(case.reference)
    page.get_by_role(
        "button",
        name=f"Send again the text message about more information requested, case {case.reference}",
    ).click()

    page.wait_for_url(re.compile(r"/staff/notifications/failed\?done=retried$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The message will be sent again"
    )
    expect(page.get_by_text("No messages have failed.")).to_be_visible()
    failed.refresh_from_db()
    assert failed.status == Status.CREATED
    assert scheduled == [failed.pk]


def test_message_pages_have_no_accessibility_problems(
    js_page: Any, audit: Any, council: Organisation, scheduled: list[int]
) -> None:
    page = js_page
    user = caseworker(council)
    case, failed = messages(council)
    channel("outbox").send(
        Message(
            "a" * 32,
            "email",
            "jo.bloggs@example.com",
            "Parhau â'ch cais",
            "Annwyl Jo,\n\nEwch i https://porth.example/resume/abc i barhau.",
            "cy",
        )
    )
    channel("outbox").send(
        Message("b" * 32, "sms", "07700900123", "", "Your reference is BB-ACDE-FGHJ", "en")
    )

    page.goto("/dev/outbox")
    expect(page.locator(".govuk-summary-card")).to_have_count(2)
    audit("developer's outbox")

    page.goto("/staff/sign-in")
    sign_in(page, user)
    page.wait_for_url(re.compile(r"/staff/cases$"))
    page.goto(f"/staff/cases/{case.reference}/notifications")
    expect(page.locator(".govuk-summary-card")).to_have_count(2)
    audit("a case's messages")
    page.goto("/staff/notifications/failed")
    expect(page.locator("main table")).to_contain_text(case.reference)
    audit("failed messages")

    # Sent again elsewhere meanwhile: the button now explains that it has not failed.
    Notification.objects.filter(pk=failed.pk).update(status=Status.SENDING)
    page.get_by_role("button", name=re.compile("^Send again")).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("This message has not failed")
    audit("failed messages with an error")

    audit.assert_clean()
