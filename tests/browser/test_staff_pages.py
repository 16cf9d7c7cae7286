"""Staff pages in a real browser: a caseworker's day with JavaScript off (sign in through the
real pages, find a citizen's case in the queue, claim it, add a note, approve it), an auditor
reading the log, and axe-core on every kind of staff page with JavaScript on."""

import re

import pytest

from porth.accounts.models import Role
from porth.accounts.tests.browser import give_code, give_password, member, sign_in, sign_out
from porth.casework import actions
from porth.casework.models import Case, Status
from porth.casework.tests.helpers import make_case

expect = pytest.importorskip("playwright.sync_api", reason="needs Playwright").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "apply-for-a-blue-badge"


def test_caseworker_works_a_citizens_case_and_an_auditor_sees_it(page, act, journeys, council):
    caseworker = member(council, Role.CASEWORKER, name="Cai Caseworker")
    auditor = member(council, Role.AUDITOR, name="Anwen Auditor")

    # A citizen applies, which opens a case.
    page.goto(f"/services/{SLUG}/")
    act.press(page, "Start now")
    act.walk(page, SLUG, journeys[SLUG]["happy_path"])
    reference = act.send(page, SLUG)

    # The queue asks for both factors, then comes back.
    page.goto("/staff/cases")
    page.wait_for_url(re.compile(r"/staff/sign-in\?next=%2Fstaff%2Fcases$"))
    sign_in(page, caseworker)
    page.wait_for_url(re.compile(r"/staff/cases$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")

    page.get_by_role("link", name=reference).click()
    page.wait_for_url(re.compile(rf"/staff/cases/{reference}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Siân Jones")

    page.get_by_role("button", name="Assign to me").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The case is assigned to you"
    )
    page.get_by_label("Add a note").fill("Checked the PIP award letter.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your note is added")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Checked the PIP award letter.")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The application is approved"
    )
    expect(page.locator(".moj-timeline")).to_contain_text("Cai Caseworker")
    case = Case.objects.get(reference=reference)
    assert (case.status, case.assigned_to) == (Status.APPROVED, caseworker)

    # Apply for someone: the service's own pages, in assisted mode.
    page.goto("/staff/apply")
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply for someone")
    page.get_by_label("Apply for a Blue Badge").check()
    page.locator('input[name="channel"][value="phone"]').check()
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(act.page_path(SLUG, "where-do-you-live"))
    expect(page.get_by_text("You are applying on behalf of a citizen")).to_be_visible()

    page.goto("/staff/cases")
    sign_out(page)
    page.goto("/staff/")
    sign_in(page, auditor)
    page.wait_for_url(re.compile(r"/staff/audit/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    expect(page.locator("main table")).to_contain_text("case.approve")
    expect(page.locator("main table")).to_contain_text(reference)


def test_staff_pages_have_no_accessibility_problems(js_page, audit, council):
    page = js_page
    enrolling = member(council, Role.CASEWORKER, name="Ned Newcomer", app=False)
    caseworker = member(council, Role.CASEWORKER, name="Cai Caseworker")
    admin = member(council, Role.PLATFORM_ADMIN, name="Aled Admin")
    case = make_case(council, name="Jo Bloggs")
    case = actions.claim(case, version=case.version, actor=caseworker)
    actions.add_note(case, "Phoned Jo.", version=case.version, actor=caseworker)

    # Signing in, and setting up an authenticator app.
    page.goto("/staff/sign-in")
    audit("sign-in")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit("sign-in with errors")
    give_password(page, enrolling)
    page.wait_for_url(re.compile(r"/staff/sign-in/set-up-app$"))
    audit("TOTP set-up")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit("TOTP set-up with an error")

    page.goto("/staff/sign-in")
    give_password(page, caseworker)
    page.wait_for_url(re.compile(r"/staff/sign-in/code$"))
    audit("code page")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit("code page with an error")
    give_code(page, caseworker)

    # Cases.
    page.wait_for_url(re.compile(r"/staff/cases$"))
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()
    audit("queue")
    page.goto("/staff/cases?status=in_progress&assigned=me&overdue=on&sort=due&order=asc")
    audit("queue with filters")
    page.goto("/staff/cases?search=Nobody+Here")
    expect(page.get_by_role("link", name=case.reference)).to_have_count(0)
    audit("queue with no results")
    page.goto(f"/staff/cases/{case.reference}")
    expect(page.locator(".moj-timeline__item")).to_have_count(2)
    audit("case page with timeline")
    page.get_by_role("button", name="Add note").click()  # an empty note is refused
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a note")
    audit("case page with an error summary")

    # Assisted digital.
    page.goto("/staff/apply")
    audit("assisted start")
    page.get_by_role("button", name="Start").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit("assisted start with errors")
    page.get_by_label("Apply for a Blue Badge").check()
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(rf"/services/{SLUG}/where-do-you-live$"))
    page.goto(f"/staff/apply/{SLUG}/stop")
    audit("stop assisted mode")

    sign_out(page)
    audit("sign-in after signing out")
    page.goto("/staff/apply/stopped")
    audit("assisted mode stopped")

    # Ned gets his password wrong five times, and is locked out.
    page.goto("/staff/sign-in")
    for _ in range(5):
        page.locator("#username").fill(enrolling.username)
        page.locator("#password").fill("not-my-password")
        page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Your account is locked")

    # A platform admin: the home page, the audit log, and the staff page.
    page.goto("/staff/sign-in")
    sign_in(page, admin)
    page.wait_for_url(re.compile(r"/staff/$"))
    audit("staff home")
    page.goto("/staff/audit/")
    expect(page.locator("main table")).to_contain_text(case.reference)
    audit("audit log")
    page.goto("/staff/audit/?start=2026-13-45")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit("audit log with a bad date")
    page.goto("/staff/people")
    expect(page.locator("main table")).to_contain_text("Locked out")
    audit("staff page")
    page.get_by_role("button", name=f"Unlock {enrolling.username}").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Ned Newcomer is unlocked")
    audit("staff page after unlocking someone")

    audit.assert_clean()
